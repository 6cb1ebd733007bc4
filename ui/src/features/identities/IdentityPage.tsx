import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { RecordRow } from "../../lib/types";
import { navigate, paths, type RecordTab } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Balance } from "../../components/Balance";
import { Button } from "../../components/Button";
import { IconBuilding, IconPerson, IconPlus, IconTarget } from "../../components/icons";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { Tabs, tabPanelProps } from "../../components/Tabs";
import { appErrorOf, blockingError } from "../../lib/api";
import { toLocalDigits } from "../../lib/format";
import { useHotkeys } from "../../lib/hotkeys";
import { useStages } from "../../shared/lookups";
import { ActivitiesSection } from "../activities/ActivitiesSection";
import { Timeline } from "../activities/Timeline";
import { NewRecordButtons } from "../financial/NewRecordButtons";
import { RecordsTable } from "../records/RecordsTable";
import { IdentitySpecifications } from "./IdentitySpecifications";
import { useIdentity, useIdentityRecords } from "./queries";
import "./identities.css";

export function IdentityPage({ id, tab }: { id: number; tab: RecordTab }) {
  const { t } = useTranslation("identity");
  const { t: ti } = useTranslation("identities");
  const { language } = useAppSettings();
  const identity = useIdentity(id);
  const [formNonce, setFormNonce] = useState(0);

  const setTab = (next: RecordTab) => navigate(paths.identity(id, next), { replace: true });
  useHotkeys([
    { key: "1", ctrl: true, handler: () => setTab("specifications") },
    { key: "2", ctrl: true, handler: () => setTab("records") },
    { key: "o", ctrl: true, shift: true, handler: () => navigate(paths.newOpportunity(id)) },
  ]);

  if (identity.isPending) return <div className="page"><Loading /></div>;
  // A refetch that failed (the team server lost a moment) keeps the page and what is typed in it.
  if (blockingError(identity)) {
    const kind = appErrorOf(identity.error)?.kind;
    return (
      <div className="page">
        {kind === "not_found" || kind === "forbidden" ? (
          <EmptyState
            title={kind === "not_found" ? t("notFoundTitle") : t("forbiddenTitle")}
            body={kind === "not_found" ? t("notFoundBody") : t("forbiddenBody")}
            action={
              <a className="btn btn--secondary btn--md" href={paths.identities()}>
                {t("backToList")}
              </a>
            }
          />
        ) : (
          <ErrorState error={identity.error} title={t("loadError")} onRetry={() => void identity.refetch()} />
        )}
      </div>
    );
  }
  const detail = identity.data;
  if (!detail) return <div className="page"><Loading /></div>;

  return (
    <div className="page record-page identity-page" data-testid="identity-page">
      <nav className="breadcrumb" aria-label={t("breadcrumb")}>
        <a href={paths.identities()}>{ti("title")}</a>
        <span aria-hidden="true">/</span>
        <span aria-current="page">
          <bdi>{detail.displayName}</bdi>
        </span>
      </nav>
      <header className="record-header" data-testid="identity-header">
        <div className="record-header__main">
          <h1 className="page__title" data-testid="identity-name">
            <bdi>{detail.displayName}</bdi>
          </h1>
          <dl className="facts">
            <div>
              <dt>{t("kind")}</dt>
              <dd>
                <span className="kind">
                  {detail.kind === "person" ? <IconPerson size={14} /> : <IconBuilding size={14} />}
                  {ti(`kind.${detail.kind}`)}
                </span>
              </dd>
            </div>
            <div>
              <dt>{t("customerNumber")}</dt>
              <dd>
                <bdi data-testid="identity-customer-number">{toLocalDigits(detail.customerNumber, language)}</bdi>
              </dd>
            </div>
            <div>
              <dt>{t("balance")}</dt>
              <dd>
                <Balance value={detail.balance} testId="identity-balance" />
              </dd>
            </div>
          </dl>
        </div>
      </header>

      <Tabs
        label={t("tabsLabel")}
        idPrefix="identity"
        value={tab}
        onChange={setTab}
        items={[
          { value: "specifications", label: t("tabs.specifications"), shortcut: "Ctrl+1", testId: "tab-specifications" },
          { value: "records", label: t("tabs.records"), shortcut: "Ctrl+2", testId: "tab-records" },
        ]}
      />
      <div {...tabPanelProps("identity", tab)}>
        {tab === "specifications" ? (
          <IdentitySpecifications
            key={formNonce}
            detail={detail}
            onReload={async () => {
              await identity.refetch();
              setFormNonce((n) => n + 1);
            }}
          />
        ) : (
          <IdentityRecords identityId={id} />
        )}
      </div>
    </div>
  );
}

function IdentityRecords({ identityId }: { identityId: number }) {
  const { t } = useTranslation("identity");
  const { t: tc } = useTranslation("common");
  const records = useIdentityRecords(identityId);
  const stages = useStages(true);

  const open = (row: RecordRow) => navigate(row.kind === "opportunity" ? paths.opportunity(row.id) : paths.record(row.id));

  let body;
  if (records.isPending) body = <Loading />;
  else if (records.isError) body = <ErrorState error={records.error} title={tc("records.loadError")} onRetry={() => void records.refetch()} />;
  else if (records.data.length === 0)
    body = <EmptyState icon={<IconTarget size={28} />} title={t("records.emptyTitle")} body={t("records.emptyBody")} />;
  else body = <RecordsTable rows={records.data} stages={stages.data ?? []} onOpen={open} testId="identity-records" busy={records.isFetching} />;

  return (
    <div className="records-tab">
      <div className="toolbar">
        <Button
          variant="primary"
          icon={<IconPlus />}
          shortcut="Ctrl+Shift+O"
          aria-keyshortcuts="Control+Shift+O"
          data-testid="new-opportunity"
          onClick={() => navigate(paths.newOpportunity(identityId))}
        >
          {t("records.newOpportunity")}
        </Button>
        <NewRecordButtons identityId={identityId} />
      </div>
      {body}
      <ActivitiesSection identityId={identityId} />
      <Timeline identityId={identityId} />
    </div>
  );
}
