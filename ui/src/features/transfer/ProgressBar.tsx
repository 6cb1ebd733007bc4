import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { useAppSettings } from "../../app/settings";
import { formatNumber } from "../../lib/format";
import type { TransferProgress } from "../../lib/types";

export type ProgressBarProps = {
  /** What is going on, e.g. "Checking rows…". */
  label: string;
  progress: TransferProgress | null;
  onCancel: () => void;
  cancelling: boolean;
  cancelLabel?: string;
  testId?: string;
};

/** A determinate bar (indeterminate until the first report) with a Cancel button. */
export function ProgressBar({ label, progress, onCancel, cancelling, cancelLabel, testId }: ProgressBarProps) {
  const { t } = useTranslation("transfer");
  const { language } = useAppSettings();
  const total = progress?.total ?? 0;
  const done = Math.min(progress?.done ?? 0, total);
  const known = progress !== null && total > 0;
  const percent = known ? Math.round((done / total) * 100) : 0;
  return (
    <div className="transfer-progress" data-testid={testId}>
      <div className="transfer-progress__head">
        <span className="transfer-progress__label">{label}</span>
        {known ? (
          <span className="transfer-progress__count muted">
            {t("run.progress", { done: formatNumber(done, language), total: formatNumber(total, language) })}
          </span>
        ) : null}
      </div>
      <div
        className={known ? "transfer-progress__track" : "transfer-progress__track is-indeterminate"}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
        aria-valuetext={known ? `${formatNumber(percent, language)}%` : undefined}
      >
        <div className="transfer-progress__fill" style={known ? { inlineSize: `${percent}%` } : undefined} />
      </div>
      <Button size="sm" variant="secondary" onClick={onCancel} disabled={cancelling} data-testid={testId ? `${testId}-cancel` : undefined}>
        {cancelling ? t("run.cancelling") : (cancelLabel ?? t("run.cancel"))}
      </Button>
    </div>
  );
}
