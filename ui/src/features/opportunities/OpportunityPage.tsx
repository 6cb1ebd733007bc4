import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { OpportunityDetail } from "../../lib/types";
import { paths, type RecordTab } from "../../app/router";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { appErrorOf, blockingError } from "../../lib/api";
import { useAppInfo, useCustomFields, useStages } from "../../shared/lookups";
import { useIdentity } from "../identities/queries";
import { orderStages } from "./formModel";
import { OpportunityForm } from "./OpportunityForm";
import { useOpportunity } from "./queries";

export type OpportunityPageProps = {
  /** null for a new opportunity. */
  id: number | null;
  /** The identity a new opportunity is related to (from ?identity=). */
  identityId: number | null;
  tab: RecordTab;
};

/** Loads what the opportunity form needs, then shows it (or a plain-words state). */
export function OpportunityPage({ id, identityId, tab }: OpportunityPageProps) {
  const { t } = useTranslation("opportunity");
  const opportunity = useOpportunity(id);
  const identity = useIdentity(id === null ? identityId : null);
  const stages = useStages(false);
  const customFields = useCustomFields();
  const appInfo = useAppInfo();
  const [nonce, setNonce] = useState(0);

  // A refetch that failed (the team server lost a moment) keeps the form and what is typed in it.
  const failed = blockingError(id !== null ? opportunity : identity);
  if (id === null && identityId === null) {
    return (
      <Plain title={t("state.noIdentityTitle")} body={t("state.noIdentityBody")} />
    );
  }
  if (failed) {
    const kind = appErrorOf(failed)?.kind;
    if (kind === "not_found")
      return <Plain title={id !== null ? t("state.notFoundTitle") : t("state.identityNotFoundTitle")} body={t("state.notFoundBody")} />;
    if (kind === "forbidden") return <Plain title={t("state.forbiddenTitle")} body={t("state.forbiddenBody")} />;
    return (
      <div className="page">
        <ErrorState error={failed} title={t("state.loadError")} onRetry={() => void (id !== null ? opportunity.refetch() : identity.refetch())} />
      </div>
    );
  }
  const lookupError = stages.error ?? customFields.error;
  if (lookupError) {
    return (
      <div className="page">
        <ErrorState
          error={lookupError}
          title={t("state.loadError")}
          onRetry={() => {
            void stages.refetch();
            void customFields.refetch();
          }}
        />
      </div>
    );
  }
  const detail: OpportunityDetail | null = id !== null ? (opportunity.data ?? null) : null;
  const related = id !== null ? (detail ? { id: detail.identityId, name: detail.identityName } : null) : identity.data ? { id: identity.data.id, name: identity.data.displayName } : null;
  if (!related || !stages.data || !customFields.data || (id === null && appInfo.isPending)) {
    return (
      <div className="page">
        <Loading />
      </div>
    );
  }

  return (
    <OpportunityForm
      key={`${detail?.id ?? "new"}-${nonce}`}
      detail={detail}
      related={related}
      stages={orderStages(stages.data)}
      customFieldDefs={customFields.data}
      currentUserId={appInfo.data?.currentUser.id ?? null}
      tab={tab}
      onReload={async () => {
        await Promise.all([id !== null ? opportunity.refetch() : null, stages.refetch(), customFields.refetch()]);
        setNonce((n) => n + 1);
      }}
    />
  );
}

function Plain({ title, body }: { title: string; body: string }) {
  const { t } = useTranslation("opportunity");
  return (
    <div className="page">
      <EmptyState
        title={title}
        body={body}
        action={
          <a className="btn btn--secondary btn--md" href={paths.identities()}>
            {t("state.backToIdentities")}
          </a>
        }
      />
    </div>
  );
}
