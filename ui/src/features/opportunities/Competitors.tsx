import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { IconPlus } from "../../components/icons";
import { describeError, describeFieldError, fieldErrorsOf } from "../../lib/api";
import { IdentityPicker } from "../identities/IdentityPicker";
import { useCreateIdentity } from "../identities/queries";
import type { CompetitorRow } from "./formModel";

export type CompetitorsProps = {
  rows: readonly CompetitorRow[];
  onChange: (rows: CompetitorRow[]) => void;
  errorText: (key: string) => string | null;
};

/** 14 — the competitors of this opportunity, each with an optional note. */
export function Competitors({ rows, onChange, errorText }: CompetitorsProps) {
  const { t } = useTranslation("opportunity");
  const { t: tc } = useTranslation("common");
  const [quickOpen, setQuickOpen] = useState(false);
  const baseId = useId();
  const nameHeader = `${baseId}-name`;
  const noteHeader = `${baseId}-note`;
  const add = (competitorId: number, name: string) => {
    if (rows.some((r) => r.competitorId === competitorId)) return;
    onChange([...rows, { competitorId, name, note: "" }]);
  };
  const listError = errorText("competitors");

  return (
    <div className="competitors" data-field="competitors">
      {rows.length > 0 ? (
        <table className="table table--compact" data-testid="competitors-table">
          <thead>
            <tr>
              <th scope="col" id={nameHeader}>
                {t("competitors.name")}
              </th>
              <th scope="col" id={noteHeader}>
                {t("competitors.note")}
              </th>
              <th scope="col">
                <span className="visually-hidden">{tc("actions.remove")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const rowNameId = `${baseId}-row-${row.competitorId}`;
              const error = errorText(`competitors.${i}.competitorId`);
              const noteError = errorText(`competitors.${i}.note`);
              return (
                <tr key={row.competitorId} data-competitor-id={row.competitorId}>
                  <td id={rowNameId} className="cell-name">
                    {row.name}
                    {error ? <p className="field__error">{error}</p> : null}
                  </td>
                  <td>
                    <input
                      className="input"
                      aria-labelledby={`${noteHeader} ${rowNameId}`}
                      aria-invalid={noteError ? true : undefined}
                      data-field={`competitors.${i}.note`}
                      value={row.note}
                      onChange={(e) => onChange(rows.map((r, j) => (j === i ? { ...r, note: e.target.value } : r)))}
                    />
                    {noteError ? <p className="field__error">{noteError}</p> : null}
                  </td>
                  <td className="col-actions">
                    <Button size="sm" variant="ghost" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={t("competitors.remove", { name: row.name })}>
                      {tc("actions.remove")}
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t("competitors.empty")}</p>
      )}
      {listError ? <p className="field__error">{listError}</p> : null}
      <div className="competitors__add">
        <Field label={t("competitors.add")} className="competitors__picker">
          {(p) => (
            <IdentityPicker
              {...p}
              role="competitor"
              selectedName=""
              clearOnPick
              exclude={rows.map((r) => r.competitorId)}
              onPick={(identity) => identity && add(identity.id, identity.displayName)}
              placeholder={t("competitors.searchPlaceholder")}
              testId="competitor-search"
            />
          )}
        </Field>
        <Button size="sm" icon={<IconPlus />} onClick={() => setQuickOpen(true)} data-testid="new-competitor">
          {t("competitors.new")}
        </Button>
      </div>
      <Dialog open={quickOpen} onClose={() => setQuickOpen(false)} title={t("competitors.newTitle")} variant="modal" testId="new-competitor-dialog">
        <QuickCompetitor
          onCreated={(id, name) => {
            add(id, name);
            setQuickOpen(false);
          }}
          onCancel={() => setQuickOpen(false)}
        />
      </Dialog>
    </div>
  );
}

function QuickCompetitor({ onCreated, onCancel }: { onCreated: (id: number, name: string) => void; onCancel: () => void }) {
  const { t } = useTranslation("opportunity");
  const { t: tc } = useTranslation("common");
  const create = useCreateIdentity();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    create.mutate(
      {
        kind: "organization",
        organizationName: name.trim(),
        isCustomer: false,
        isCompetitor: true,
        isSupplier: false,
        phones: [],
        emails: [],
        addresses: [],
      },
      {
        onSuccess: (detail) => onCreated(detail.id, detail.displayName),
        onError: (err) => {
          const field = fieldErrorsOf(err)[0];
          setError(field ? describeFieldError(field, tc) : describeError(err, tc));
        },
      },
    );
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <div className="form__scroll">
        <Field label={t("competitors.newName")} error={error}>
          {(p) => <input {...p} className="input" autoComplete="off" data-autofocus value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
      </div>
      <div className="form__footer">
        <Button type="submit" variant="primary" busy={create.isPending} data-testid="new-competitor-save">
          {tc("actions.save")}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {tc("actions.cancel")}
        </Button>
      </div>
    </form>
  );
}
