// Pieces every administration screen shares: the form dialog with its error
// mapping and conflict banner, and moving rows up and down (the list section
// itself is ListSection.tsx).

import { useCallback, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { useAppSettings } from "../../app/settings";
import { AppErrorException, appErrorOf, describeError, fieldErrorsOf } from "../../lib/api";
import { formatNumber } from "../../lib/format";
import type { FieldError } from "../../lib/types";
import { useFieldErrors } from "../../shared/useFieldErrors";
import "./admin.css";

/** Refusals whose reason has a sentence of its own (any other says who may change settings). */
const FORBIDDEN_REASONS = {
  teams_admin_only: "errors.reasons.teams_admin_only",
} as const;

/** What a failed command means, in one sentence (forbidden says who may do it). */
export function useDescribeAdminError(forbidden: "admin" | "managers" = "admin") {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  return useCallback(
    (error: unknown): string => {
      const appError = appErrorOf(error);
      if (appError?.kind === "forbidden") {
        if (Object.hasOwn(FORBIDDEN_REASONS, appError.reason)) return t(FORBIDDEN_REASONS[appError.reason as keyof typeof FORBIDDEN_REASONS]);
        return t(forbidden === "admin" ? "errors.forbidden" : "errors.forbiddenManagers");
      }
      if (appErrorOf(error)?.kind === "conflict") return t("errors.conflict");
      return describeError(error, tc);
    },
    [t, tc, forbidden],
  );
}

/** A field error in words; `special` gives a screen's own sentence for a known case. */
export type SpecialMessage = (error: FieldError) => string | null;

export type FormErrors = {
  /** The sentence for a field the form shows a control for, or null. */
  errorFor: (field: string) => string | null;
  /** Forget a field's error (when the user edits it). */
  clear: (field: string) => void;
  /** Takes a failed save: maps field errors, or notes a conflict, or keeps a sentence. */
  handle: (error: unknown) => void;
  /** Shows errors found before asking the backend, the same way. */
  show: (fields: FieldError[]) => void;
  reset: () => void;
  /** Sentence for the alert above the form, with field errors no control shows. */
  alert: { message: string | null; details: string[] };
  conflict: boolean;
};

/**
 * Error state of an administration form. `fields` are the inputs the form shows a
 * control for (in screen order, marked with data-field); any other field error
 * is listed in the alert at the top.
 */
export function useFormErrors(
  fields: readonly string[],
  options: { special?: SpecialMessage; forbidden?: "admin" | "managers"; formRef?: RefObject<HTMLElement | null> } = {},
): FormErrors {
  const { t: tc } = useTranslation("common");
  const describe = useDescribeAdminError(options.forbidden);
  // Every error keeps its own path: which of them a control shows is decided as the form renders.
  const fieldErrors = useFieldErrors((field) => field);
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);

  const text = (fe: FieldError) => options.special?.(fe) ?? fieldErrors.describe(fe);
  const shown = (fe: FieldError) => fields.includes(fe.field);

  const errorFor = (field: string) => {
    const fe = fieldErrors.byField[field];
    return fe ? text(fe) : null;
  };

  const handle = (error: unknown) => {
    const list = fieldErrorsOf(error);
    if (list.length > 0) {
      fieldErrors.show(list);
      setConflict(false);
      const first = fields.find((f) => list.some((e) => e.field === f));
      setMessage(first ? tc("errors.validation") : null);
      if (first) {
        requestAnimationFrame(() => {
          const root = options.formRef?.current ?? document;
          root.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
        });
      }
    } else if (appErrorOf(error)?.kind === "conflict") {
      fieldErrors.reset();
      setMessage(null);
      setConflict(true);
    } else {
      fieldErrors.reset();
      setConflict(false);
      setMessage(describe(error));
    }
  };

  const details = fieldErrors.all.filter((fe) => !shown(fe)).map(text);
  return {
    errorFor,
    clear: fieldErrors.clear,
    handle,
    show: (list) => handle(new AppErrorException({ kind: "validation", fields: list })),
    reset: () => {
      fieldErrors.reset();
      setMessage(null);
      setConflict(false);
    },
    alert: { message, details },
    conflict,
  };
}

export type FormDialogProps = {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  busy: boolean;
  errors: FormErrors;
  /** Reloads the item after a conflict (the dialog then shows the fresh values). */
  onReload?: () => void;
  children: ReactNode;
  testId?: string;
  formRef?: RefObject<HTMLFormElement | null>;
  /** Buttons shown before Save (e.g. "Deactivate instead"). */
  extraActions?: ReactNode;
  saveLabel?: string;
  /** Disables Save (a reason is shown in the form). */
  saveDisabled?: boolean;
  /** Test id of the Save button ("admin-save" unless given). */
  saveTestId?: string;
  danger?: boolean;
};

/** A modal form: alert and conflict banner on top, Cancel and Save at the bottom; Ctrl+Enter saves. */
export function FormDialog({
  open,
  title,
  onClose,
  onSubmit,
  busy,
  errors,
  onReload,
  children,
  testId,
  formRef,
  extraActions,
  saveLabel,
  saveDisabled,
  saveTestId = "admin-save",
  danger,
}: FormDialogProps) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const ownRef = useRef<HTMLFormElement>(null);
  const ref = formRef ?? ownRef;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy && !saveDisabled) onSubmit();
  };
  return (
    <Dialog open={open} onClose={onClose} title={title} variant="modal" testId={testId} className="admin-dialog">
      <form
        ref={ref}
        className="form"
        onSubmit={submit}
        noValidate
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            ref.current?.requestSubmit();
          }
        }}
      >
        <div className="form__scroll">
          {errors.conflict ? (
            <div className="admin-banner" role="alert">
              <p>{t("errors.conflict")}</p>
              {onReload ? (
                <Button size="sm" onClick={onReload}>
                  {tc("actions.reload")}
                </Button>
              ) : null}
            </div>
          ) : null}
          {errors.alert.message || errors.alert.details.length > 0 ? (
            <div className="form-alert" role="alert">
              {errors.alert.message ? <p>{errors.alert.message}</p> : null}
              {errors.alert.details.length > 0 ? (
                errors.alert.details.length === 1 && !errors.alert.message ? (
                  <p>{errors.alert.details[0]}</p>
                ) : (
                  <ul>
                    {errors.alert.details.map((d, i) => (
                      <li key={i}>{d}</li>
                    ))}
                  </ul>
                )
              ) : null}
            </div>
          ) : null}
          {children}
        </div>
        <div className="form__footer">
          <Button type="submit" variant={danger ? "danger" : "primary"} busy={busy} disabled={saveDisabled} data-testid={saveTestId} shortcut="Ctrl+Enter">
            {busy && !saveLabel ? tc("actions.saving") : (saveLabel ?? tc("actions.save"))}
          </Button>
          {extraActions}
          <Button variant="ghost" onClick={onClose}>
            {tc("actions.cancel")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** "Active" / "Inactive" as words (never colour alone). */
export function ActiveCell({ active }: { active: boolean }) {
  const { t } = useTranslation("admin");
  return <span className={active ? "badge admin-badge--active" : "badge"}>{active ? t("common.active") : t("common.inactive")}</span>;
}

/** A count in the language's digits. */
export function useCount() {
  const { language } = useAppSettings();
  return (n: number) => formatNumber(n, language);
}

/** A field error found in the form itself. */
export function localError(field: string, code: FieldError["code"], min: string | null = null, max: string | null = null): FieldError {
  return { field, code, min, max };
}

/** Moves `items[index]` by `delta` places; the same array when it cannot move. */
export function moved<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (index < 0 || target < 0 || target >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(index, 1);
  next.splice(target, 0, item as T);
  return next;
}

type Focusable = "row" | "up" | "down";

/**
 * Moving rows with buttons and Alt+ArrowUp / Alt+ArrowDown: keeps the focus on
 * the moved row (or the button used) and announces the new position.
 */
export function useRowReorder<T extends { id: number }>(items: readonly T[], titleOf: (item: T) => string, commit: (ordered: T[]) => void, busy: boolean) {
  const { t } = useTranslation("admin");
  const count = useCount();
  const [announcement, setAnnouncement] = useState("");
  const pending = useRef<{ id: number; focus: Focusable; index: number; at: number } | null>(null);

  // Once the row shows at its new place, put the focus back on it (moving a
  // focused element in the document can drop the focus).
  useLayoutEffect(() => {
    const want = pending.current;
    if (!want) return;
    const row = document.querySelector<HTMLElement>(`[data-testid="row-${want.id}"]`);
    const index = row?.parentElement ? Array.prototype.indexOf.call(row.parentElement.children, row) : -1;
    if (!row || index !== want.index) {
      // The move was refused (the old order is back) or the row went away.
      if (Date.now() - want.at > 3000) pending.current = null;
      return;
    }
    const button = want.focus === "row" ? null : row.querySelector<HTMLButtonElement>(`[data-move="${want.focus}"]:not([disabled])`);
    (button ?? row).focus();
    pending.current = null;
  });

  const move = (index: number, delta: -1 | 1, focus: Focusable) => {
    const item = items[index];
    if (busy || !item || index + delta < 0 || index + delta >= items.length) return;
    pending.current = { id: item.id, focus, index: index + delta, at: Date.now() };
    commit(moved(items, index, delta));
    setAnnouncement(t("reorder.moved", { title: titleOf(item), position: count(index + delta + 1), total: count(items.length) }));
  };

  const rowProps = (index: number) => ({
    tabIndex: 0,
    "aria-keyshortcuts": "Alt+ArrowUp Alt+ArrowDown",
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
      e.preventDefault();
      const onButton = (e.target as HTMLElement).dataset.move as Focusable | undefined;
      move(index, e.key === "ArrowUp" ? -1 : 1, onButton ?? "row");
    },
  });

  const buttons = (index: number) => {
    const item = items[index];
    if (!item) return null;
    const title = titleOf(item);
    return (
      <span className="admin-move">
        <button
          type="button"
          className="icon-btn icon-btn--small"
          data-move="up"
          aria-label={t("reorder.up", { title })}
          title={t("reorder.upHint")}
          disabled={index === 0}
          onClick={() => move(index, -1, "up")}
        >
          <span aria-hidden="true">↑</span>
        </button>
        <button
          type="button"
          className="icon-btn icon-btn--small"
          data-move="down"
          aria-label={t("reorder.down", { title })}
          title={t("reorder.downHint")}
          disabled={index === items.length - 1}
          onClick={() => move(index, 1, "down")}
        >
          <span aria-hidden="true">↓</span>
        </button>
      </span>
    );
  };

  const live = (
    <p className="visually-hidden" role="status" aria-live="polite">
      {announcement}
    </p>
  );

  return { rowProps, buttons, live };
}
