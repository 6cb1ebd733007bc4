import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useToast } from "../../components/Toast";
import type { ChartHandle } from "./EChart";
import { downloadCsv, downloadDataUrl } from "./exporting";

/** Saving tables and charts, with a word to the user either way. */
export function useExports() {
  const { t } = useTranslation("reports");
  const toast = useToast();
  const run = (file: string, save: () => boolean) => {
    let ok = false;
    try {
      ok = save();
    } catch (error) {
      console.warn("Export failed:", error);
    }
    toast.show(ok ? t("export.started", { file }) : t("export.failed"), ok ? "info" : "error");
  };
  return {
    csv: (file: string, csv: string) =>
      run(file, () => {
        downloadCsv(csv, file);
        return true;
      }),
    png: (file: string, chart: ChartHandle | null) =>
      run(file, () => {
        const url = chart?.toPng() ?? null;
        if (url) downloadDataUrl(url, file);
        return url !== null;
      }),
  };
}

export type ReportCardProps = {
  title: string;
  subtitle: string;
  tools: ReactNode;
  children: ReactNode;
  testId: string;
  /** A wide table: beside the chart on wide screens only, under it otherwise. */
  wide?: boolean;
};

/** A report's card: a titled section with its tools (switches, exports) in the header. */
export function ReportCard({ title, subtitle, tools, children, testId, wide }: ReportCardProps) {
  const id = `report-card-${useId().replace(/:/g, "")}`;
  return (
    <section className={wide ? "card report-card report-card--wide" : "card report-card"} aria-labelledby={id} data-testid={testId}>
      <header className="report-card__header">
        <div>
          <h2 className="report-card__title" id={id}>
            {title}
          </h2>
          <p className="report-card__subtitle muted">{subtitle}</p>
        </div>
        <div className="report-card__tools">{tools}</div>
      </header>
      <div className="report-card__body">{children}</div>
    </section>
  );
}
