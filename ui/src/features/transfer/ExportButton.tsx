import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { shortPath } from "../../lib/files";
import { Button } from "../../components/Button";
import { useAppSettings } from "../../app/settings";
import { appErrorOf, commands, describeError, fieldErrorsOf, unwrap } from "../../lib/api";
import { formatNumber } from "../../lib/format";
import type { ExportFormat, ExportResult, ListColumn, OpportunityFilter, SortKey } from "../../lib/types";
import { ProgressBar } from "./ProgressBar";
import { useTransferJob } from "./useTransferJob";
import "./transfer.css";

export type ExportButtonProps = {
  filter: OpportunityFilter;
  sort: SortKey[];
  /** The columns, in order; empty = every column. */
  columns: ListColumn[];
  /** The button's text (default "Export"). */
  label?: string;
};

/** The progress bar shows only for exports that take longer than this. */
export const PROGRESS_DELAY_MS = 300;

type Outcome = { kind: "saved"; result: ExportResult } | { kind: "cancelled" } | { kind: "error"; message: string };

/** "…/Downloads/opportunities-2026-11-29.csv": the file and its folder, not the whole path. */
export { shortPath };

/**
 * Exports the opportunities of a filter to CSV or XLSX: a small format menu, a
 * progress bar with Cancel for long exports, then where the file was saved.
 */
export function ExportButton({ filter, sort, columns, label }: ExportButtonProps) {
  const { t } = useTranslation("transfer");
  const { t: tc } = useTranslation();
  const { language } = useAppSettings();
  const job = useTransferJob();
  const [open, setOpen] = useState(false);
  const [showProgress, setShowProgress] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const firstItem = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    firstItem.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  useEffect(() => {
    if (!job.running) return;
    const timer = window.setTimeout(() => setShowProgress(true), PROGRESS_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      setShowProgress(false);
    };
  }, [job.running]);

  /** `every`: every column whatever the list shows, so the file imports back whole. */
  const run = async (format: ExportFormat, every = false) => {
    setOpen(false);
    setOutcome(null);
    try {
      const chosen = every ? [] : columns;
      const result = await job.start((id, channel) => unwrap(commands.exportOpportunities({ filter, sort, columns: chosen, format, language }, id, channel)));
      // null: the save dialog was closed, nothing was written.
      if (result) setOutcome({ kind: "saved", result });
    } catch (error) {
      const appError = appErrorOf(error);
      if (appError?.kind === "conflict" && appError.entity === "export") {
        setOutcome({ kind: "cancelled" });
        return;
      }
      const tooMany = fieldErrorsOf(error).find((f) => f.field === "format" && f.code === "too_long");
      if (tooMany) {
        setOutcome({ kind: "error", message: t("export.tooManyForXlsx", { max: formatNumber(Number(tooMany.max ?? 1048575), language) }) });
        return;
      }
      setOutcome({ kind: "error", message: appError?.kind === "database" ? t("export.failed") : describeError(error, tc) });
    } finally {
      trigger.current?.focus();
    }
  };

  const onMenuKey = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      setOpen(false);
      trigger.current?.focus();
      return;
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const items = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
      const at = items.indexOf(document.activeElement as HTMLButtonElement);
      const next = e.key === "ArrowDown" ? (at + 1) % items.length : (at - 1 + items.length) % items.length;
      items[next]?.focus();
    }
  };

  return (
    <div className="export" ref={root}>
      <Button
        ref={trigger}
        size="sm"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        busy={job.running}
        onClick={() => setOpen((o) => !o)}
        data-testid="export-button"
      >
        {job.running ? t("export.exporting") : (label ?? t("export.button"))}
      </Button>
      {open ? (
        <div className="export__menu" role="menu" id={menuId} aria-label={t("export.menu")} onKeyDown={onMenuKey}>
          <button ref={firstItem} type="button" role="menuitem" className="export__item" onClick={() => void run("csv")} data-testid="export-csv">
            {t("export.csv")}
          </button>
          <button type="button" role="menuitem" className="export__item" onClick={() => void run("xlsx")} data-testid="export-xlsx">
            {t("export.xlsx")}
          </button>
          <button type="button" role="menuitem" className="export__item" onClick={() => void run("csv", true)} data-testid="export-csv-all">
            {t("export.csvAll")}
          </button>
        </div>
      ) : null}
      {job.running && showProgress ? (
        <div className="export__panel">
          <ProgressBar label={t("export.exporting")} progress={job.progress} onCancel={job.cancel} cancelling={job.cancelling} cancelLabel={t("export.cancel")} testId="export-progress" />
        </div>
      ) : null}
      {!job.running && outcome ? (
        <div className={outcome.kind === "error" ? "export__panel export__panel--error" : "export__panel"} role={outcome.kind === "error" ? "alert" : "status"} data-testid="export-result">
          <p className="export__message" title={outcome.kind === "saved" ? outcome.result.path : undefined}>
            {outcome.kind === "saved"
              ? t("export.saved", { count: outcome.result.rows, rows: formatNumber(outcome.result.rows, language), path: shortPath(outcome.result.path) })
              : outcome.kind === "cancelled"
                ? t("export.cancelled")
                : outcome.message}
          </p>
          <Button size="sm" variant="ghost" onClick={() => setOutcome(null)}>
            {t("export.dismiss")}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
