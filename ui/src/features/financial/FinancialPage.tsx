import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { FinancialKind } from "../../lib/types";
import { paths } from "../../app/router";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { appErrorOf, blockingError } from "../../lib/api";
import { useIdentity } from "../identities/queries";
import { useOpportunity } from "../opportunities/queries";
import { FinancialForm } from "./FinancialForm";
import { useFinancialRecord } from "./queries";

export type FinancialPageProps =
  | { mode: "existing"; id: number }
  | { mode: "new"; kind: FinancialKind | null; identityId: number | null; opportunityId: number | null; parentId: number | null };

/** #/records/:id and #/records/new?kind=…&identity=…: loads what the form needs, then shows it. */
export function FinancialPage(props: FinancialPageProps) {
  const { t } = useTranslation("financial");
  const existingId = props.mode === "existing" ? props.id : null;
  const record = useFinancialRecord(existingId);
  const newStart = props.mode === "new" ? props : null;
  const identity = useIdentity(newStart?.identityId ?? null);
  const opportunityId = props.mode === "existing" ? (record.data?.opportunityId ?? null) : (newStart?.opportunityId ?? null);
  const opportunity = useOpportunity(opportunityId);
  const [nonce, setNonce] = useState(0);

  if (newStart && (newStart.kind === null || newStart.identityId === null)) {
    return <Plain title={t("state.startTitle")} body={t("state.startBody")} />;
  }
  // A refetch that failed (the team server lost a moment) keeps the form and what is typed in it.
  const failed = blockingError(props.mode === "existing" ? record : identity);
  if (failed) {
    const kind = appErrorOf(failed)?.kind;
    if (kind === "not_found") return <Plain title={props.mode === "existing" ? t("state.notFoundTitle") : t("state.identityNotFoundTitle")} body={t("state.notFoundBody")} />;
    if (kind === "forbidden") return <Plain title={t("state.forbiddenTitle")} body={t("state.forbiddenBody")} />;
    return (
      <div className="page">
        <ErrorState error={failed} title={t("state.loadError")} onRetry={() => void (props.mode === "existing" ? record.refetch() : identity.refetch())} />
      </div>
    );
  }
  // The parent opportunity's title is only a label; it may be hidden from this user.
  const opportunityTitle = opportunity.data?.title ?? null;
  const waitingForTitle = opportunityId !== null && opportunity.isPending && !opportunity.isError;

  if (props.mode === "existing") {
    if (!record.data || waitingForTitle) {
      return (
        <div className="page">
          <Loading />
        </div>
      );
    }
    const detail = record.data;
    return (
      <FinancialForm
        key={`${detail.id}-${nonce}`}
        detail={detail}
        start={null}
        identity={{ id: detail.identityId, name: detail.identityName }}
        opportunityTitle={opportunityTitle}
        onReload={async () => {
          await record.refetch();
          setNonce((n) => n + 1);
        }}
      />
    );
  }

  const start = newStart as NonNullable<typeof newStart>;
  if (!identity.data || waitingForTitle) {
    return (
      <div className="page">
        <Loading />
      </div>
    );
  }
  return (
    <FinancialForm
      key={`new-${start.kind}-${nonce}`}
      detail={null}
      start={{ kind: start.kind as FinancialKind, identityId: identity.data.id, opportunityId: start.opportunityId, parentRecordId: start.parentId }}
      identity={{ id: identity.data.id, name: identity.data.displayName }}
      opportunityTitle={opportunityTitle}
      onReload={async () => {
        setNonce((n) => n + 1);
      }}
    />
  );
}

function Plain({ title, body }: { title: string; body: string }) {
  const { t } = useTranslation("financial");
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
