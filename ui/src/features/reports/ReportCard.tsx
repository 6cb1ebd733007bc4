import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useToast } from "../../components/Toast";
import { useFileSaver } from "../../components/useFileSaver";
import type { ChartHandle } from "./EChart";
import type { CardLayout } from "./tableFit";

/**
 * Saving tables (CSV) and charts (PNG) into the export folder; a toast says where
 * the file went, or why it could not be saved.
 */
export function useExports() {
  const { t } = useTranslation("reports");
  const toast = useToast();
  const saver = useFileSaver();
  return {
    csv: (file: string, csv: string) => void saver.text(file, csv),
    png: (file: string, chart: ChartHandle | null) => {
      const url = chart?.toPng() ?? null;
      if (url) void saver.dataUrl(file, url);
      else toast.show(t("export.failed"), "error");
    },
  };
}

export type ReportCardProps = {
  title: string;
  subtitle: string;
  tools: ReactNode;
  children: ReactNode;
  testId: string;
  /** Where the table sits against the chart (see tableFit.ts); a card of one table or list is "stacked". */
  layout: CardLayout;
};

/** A report's card: a titled section with its tools (switches, exports) in the header. */
export function ReportCard({ title, subtitle, tools, children, testId, layout }: ReportCardProps) {
  const id = `report-card-${useId().replace(/:/g, "")}`;
  return (
    <section className={`card report-card report-card--${layout}`} aria-labelledby={id} data-testid={testId}>
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
