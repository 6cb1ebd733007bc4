import { useAppSettings } from "../../app/settings";
import { appErrorOf } from "../../lib/api";
import { localTitle, localName } from "../../lib/titles";
import type { Category, CustomFieldDef, Stage, SystemItem, UserSummary, CampaignSummary } from "../../lib/types";
import { useAllSystemItems, useAllUsers, useCampaigns, useCustomFields, usePipelines, useStages } from "../../shared/lookups";
import { useIdentity } from "../identities/queries";
import { useCategories, useProduct } from "../products/queries";

export type Lookups = {
  stages: Stage[];
  users: UserSummary[];
  types: SystemItem[];
  sources: SystemItem[];
  campaigns: CampaignSummary[];
  winReasons: SystemItem[];
  lossReasons: SystemItem[];
  categories: Category[];
  customFields: CustomFieldDef[];
  /** Names in the current language. */
  stageName: (id: number) => string;
  /** The name of the pipeline of stage `stageId` (an opportunity's pipeline is its stage's). */
  pipelineName: (stageId: number) => string;
  userName: (id: number) => string;
  itemName: (id: number) => string;
  campaignName: (id: number) => string;
  categoryName: (id: number) => string;
};

/** The reference lists the filters offer and the names chips and cells show. */
export function useLookups(): Lookups {
  const { language } = useAppSettings();
  const stages = useStages(true).data ?? [];
  const users = useAllUsers().data ?? [];
  const types = useAllSystemItems("opportunity_type").data ?? [];
  const sources = useAllSystemItems("source").data ?? [];
  const winReasons = useAllSystemItems("win_reason").data ?? [];
  const lossReasons = useAllSystemItems("loss_reason").data ?? [];
  const campaigns = useCampaigns().data ?? [];
  const categories = useCategories().data ?? [];
  const customFields = useCustomFields().data ?? [];
  const pipelines = usePipelines(true).data ?? [];
  const items = [...types, ...sources, ...winReasons, ...lossReasons];
  return {
    stages: [...stages].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id),
    users,
    types,
    sources,
    campaigns,
    winReasons,
    lossReasons,
    categories,
    customFields,
    stageName: (id) => {
      const s = stages.find((x) => x.id === id);
      return s ? localTitle(s, language) : "…";
    },
    pipelineName: (stageId) => {
      const pipelineId = stages.find((x) => x.id === stageId)?.pipelineId;
      const p = pipelines.find((x) => x.id === pipelineId);
      return p ? localName(p, language) : "…";
    },
    userName: (id) => users.find((u) => u.id === id)?.displayName ?? "…",
    itemName: (id) => {
      const i = items.find((x) => x.id === id);
      return i ? localTitle(i, language) : "…";
    },
    campaignName: (id) => campaigns.find((c) => c.id === id)?.name ?? "…",
    categoryName: (id) => categories.find((c) => c.id === id)?.name ?? "…",
  };
}

/**
 * The name of a record a filter holds only the id of (the address carries
 * `product=ID`, `competitor=ID`): `name` once known, `missing` when there is no
 * such record (deleted, or a hand-edited address). Neither while it loads.
 */
export type NameById = { name: string | null; missing: boolean };

const nameState = (name: string | undefined, error: unknown): NameById => ({ name: name ?? null, missing: appErrorOf(error)?.kind === "not_found" });

export function useProductName(id: number | null): NameById {
  const product = useProduct(id);
  return nameState(id === null ? undefined : product.data?.name, product.error);
}

export function useIdentityName(id: number | null): NameById {
  const identity = useIdentity(id);
  return nameState(id === null ? undefined : identity.data?.displayName, identity.error);
}
