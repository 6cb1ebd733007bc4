import { useAppSettings } from "../../app/settings";
import { localTitle } from "../../lib/titles";
import type { Category, CustomFieldDef, Stage, SystemItem, UserSummary, CampaignSummary } from "../../lib/types";
import { useAllSystemItems, useAllUsers, useCampaigns, useStages } from "../identities/queries";
import { useCategories } from "../products/queries";
import { useCustomFields } from "../opportunities/queries";

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
    userName: (id) => users.find((u) => u.id === id)?.displayName ?? "…",
    itemName: (id) => {
      const i = items.find((x) => x.id === id);
      return i ? localTitle(i, language) : "…";
    },
    campaignName: (id) => campaigns.find((c) => c.id === id)?.name ?? "…",
    categoryName: (id) => categories.find((c) => c.id === id)?.name ?? "…",
  };
}
