import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { describeError } from "../lib/api";
import { Button } from "./Button";

export function Loading({ label, inline = false }: { label?: string; inline?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={inline ? "loading loading--inline" : "loading"} role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t("state.loading")}</span>
    </div>
  );
}

export type EmptyStateProps = {
  title: string;
  body?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
};

export function EmptyState({ title, body, action, icon }: EmptyStateProps) {
  return (
    <div className="state">
      {icon ? (
        <div className="state__icon" aria-hidden="true">
          {icon}
        </div>
      ) : null}
      <h2 className="state__title">{title}</h2>
      {body ? <p className="state__body">{body}</p> : null}
      {action ? <div className="state__action">{action}</div> : null}
    </div>
  );
}

export type ErrorStateProps = {
  /** The thrown error; it is described in plain words, never shown raw. */
  error?: unknown;
  /** A sentence saying what failed, e.g. "The identities could not be loaded." */
  title?: string;
  onRetry?: () => void;
};

export function ErrorState({ error, title, onRetry }: ErrorStateProps) {
  const { t } = useTranslation();
  return (
    <div className="state state--error" role="alert">
      <div className="state__icon" aria-hidden="true">
        !
      </div>
      <h2 className="state__title">{title ?? t("state.errorTitle")}</h2>
      <p className="state__body">{describeError(error, t)}</p>
      {onRetry ? (
        <div className="state__action">
          <Button onClick={onRetry}>{t("actions.retry")}</Button>
        </div>
      ) : null}
    </div>
  );
}
