// The bell in the top bar: how many reminders are due and mentions unread, and a
// panel listing them. A reminder can be opened (its opportunity or identity), marked
// done or dismissed; a mention opens its opportunity and is then read. Reminders that
// came while the app was closed say so ("missed"). Escape or a click outside closes it.

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { navigate, paths } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { describeError } from "../../lib/api";
import { formatDateTime, formatNumber } from "../../lib/format";
import type { FollowUpActivity, Mention } from "../../lib/types";
import { IconBell } from "./icons";
import { useDismissReminder, useFinishActivity, useMarkMentionsRead, useMentions, useReminders } from "./queries";
import { activityHash, bellCount, dueLabel, isMissed, isOpenReminder } from "./reminderLogic";
import "./bell.css";

const EXCERPT = 140;

/** The first words of a body, on one line. */
function excerpt(body: string): string {
  const line = body.replace(/\s+/g, " ").trim();
  return line.length > EXCERPT ? `${line.slice(0, EXCERPT - 1)}…` : line;
}

export function Bell() {
  const { t } = useTranslation("followup");
  const { language } = useAppSettings();
  const reminders = useReminders();
  const mentions = useMentions();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (e.target instanceof Node && !root.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape" && open) {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };

  const due = (reminders.data?.due ?? []).filter(isOpenReminder);
  const count = bellCount(due, mentions.data?.unread ?? 0);
  const countText = count > 99 ? `${formatNumber(99, language)}+` : formatNumber(count, language);

  return (
    <div className="bell" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className={count > 0 ? "bell__button has-news" : "bell__button"}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={count > 0 ? t("bell.labelCount", { n: countText }) : t("bell.label")}
        title={t("bell.label")}
        onClick={() => setOpen((o) => !o)}
        data-testid="bell"
      >
        <IconBell />
        {count > 0 ? (
          <span className="bell__count" aria-hidden="true" data-testid="bell-count">
            {countText}
          </span>
        ) : null}
      </button>
      {open ? (
        <div ref={panel} className="bell__panel" role="dialog" id={panelId} aria-label={t("bell.title")} tabIndex={-1} data-testid="bell-panel">
          <BellPanel due={due} reminders={reminders} mentions={mentions} onNavigate={(hash) => {
            setOpen(false);
            navigate(hash);
          }} />
        </div>
      ) : null}
    </div>
  );
}

type BellPanelProps = {
  due: FollowUpActivity[];
  reminders: ReturnType<typeof useReminders>;
  mentions: ReturnType<typeof useMentions>;
  onNavigate: (hash: string) => void;
};

function BellPanel({ due, reminders, mentions, onNavigate }: BellPanelProps) {
  const { t } = useTranslation("followup");
  const { t: tc } = useTranslation();
  const toast = useToast();
  const markRead = useMarkMentionsRead();
  const items = mentions.data?.items ?? [];
  const unread = mentions.data?.unread ?? 0;
  const failed = (error: unknown) => toast.show(describeError(error, tc), "error");

  if ((reminders.isPending && mentions.isPending) || (reminders.isPending && !mentions.data) || (mentions.isPending && !reminders.data)) {
    return <Loading inline />;
  }
  if (!reminders.data && !mentions.data) {
    return (
      <p className="bell__none" role="alert">
        {t("bell.loadError")}
      </p>
    );
  }
  if (due.length === 0 && items.length === 0) {
    return (
      <p className="bell__none" data-testid="bell-empty">
        {t("bell.empty")}
      </p>
    );
  }

  const openMention = (m: Mention) => {
    if (!m.read) markRead.mutate([m.id], { onError: failed });
    if (m.opportunityId !== null) onNavigate(paths.opportunity(m.opportunityId));
  };

  return (
    <>
      <section className="bell__section" aria-labelledby="bell-reminders-title">
        <h2 className="bell__title" id="bell-reminders-title">
          {t("bell.reminders")}
        </h2>
        {!reminders.data ? (
          <p className="bell__none">{t("bell.loadError")}</p>
        ) : due.length === 0 ? (
          <p className="bell__none muted">{t("bell.noReminders")}</p>
        ) : (
          <ul className="bell__list">
            {due.map((a) => (
              <ReminderItem key={a.id} activity={a} onOpen={() => onNavigate(activityHash(a))} onFailed={failed} />
            ))}
          </ul>
        )}
      </section>
      <section className="bell__section" aria-labelledby="bell-mentions-title">
        <div className="bell__section-head">
          <h2 className="bell__title" id="bell-mentions-title">
            {t("bell.mentions")}
          </h2>
          {unread > 0 ? (
            <Button size="sm" variant="ghost" onClick={() => markRead.mutate([], { onError: failed })} busy={markRead.isPending} data-testid="bell-mark-all-read">
              {t("bell.markAllRead")}
            </Button>
          ) : null}
        </div>
        {!mentions.data ? (
          <p className="bell__none">{t("bell.loadError")}</p>
        ) : items.length === 0 ? (
          <p className="bell__none muted">{t("bell.noMentions")}</p>
        ) : (
          <ul className="bell__list">
            {items.map((m) => (
              <MentionItem key={m.id} mention={m} onOpen={() => openMention(m)} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function ReminderItem({ activity: a, onOpen, onFailed }: { activity: FollowUpActivity; onOpen: () => void; onFailed: (error: unknown) => void }) {
  const { t } = useTranslation("followup");
  const { language, calendar } = useAppSettings();
  const toast = useToast();
  const finish = useFinishActivity();
  const dismiss = useDismissReminder();
  const missed = isMissed(a);
  const due = dueLabel(a, calendar, language);
  const where = [a.opportunityTitle, a.identityName].filter(Boolean).join(" · ");
  return (
    <li className={missed ? "bell__item is-missed" : "bell__item"} data-testid={`bell-reminder-${a.id}`}>
      <div className="bell__item-text">
        <span className="bell__subject">
          <span className="bell__kind">{t(`kinds.${a.kind}`)}</span>
          {a.subject}
        </span>
        {where ? <span className="bell__where muted">{where}</span> : null}
        <span className="bell__when">
          {due ? <span className={a.overdue ? "bell__due is-overdue" : "bell__due muted"}>{t("due", { when: due })}</span> : null}
          {missed ? (
            <span className="badge badge--overdue" title={t("bell.missedHint")} data-testid={`bell-missed-${a.id}`}>
              {t("bell.missed")}
            </span>
          ) : null}
        </span>
      </div>
      <div className="bell__actions">
        <Button size="sm" onClick={onOpen} aria-label={t("actions.openNamed", { name: a.subject })} data-testid={`bell-open-${a.id}`}>
          {t("actions.open")}
        </Button>
        <Button
          size="sm"
          variant="primary"
          busy={finish.isPending}
          onClick={() => finish.mutate(a, { onSuccess: () => toast.show(t("actions.doneToast", { name: a.subject }), "success"), onError: onFailed })}
          aria-label={t("actions.doneNamed", { name: a.subject })}
          data-testid={`bell-done-${a.id}`}
        >
          {t("actions.done")}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          busy={dismiss.isPending}
          onClick={() => dismiss.mutate(a.id, { onError: onFailed })}
          aria-label={t("actions.dismissNamed", { name: a.subject })}
          data-testid={`bell-dismiss-${a.id}`}
        >
          {t("actions.dismiss")}
        </Button>
      </div>
    </li>
  );
}

function MentionItem({ mention: m, onOpen }: { mention: Mention; onOpen: () => void }) {
  const { t } = useTranslation("followup");
  const { language, calendar } = useAppSettings();
  return (
    <li className={m.read ? "bell__item" : "bell__item is-unread"}>
      <button type="button" className="bell__mention" onClick={onOpen} disabled={m.opportunityId === null} data-testid={`bell-mention-${m.id}`}>
        <span className="bell__subject">
          {m.read ? null : <span className="bell__dot" aria-label={t("bell.unread")} role="img" />}
          {t("bell.mentionedBy", { name: m.authorName ?? t("bell.someone") })}
        </span>
        {m.opportunityTitle ? <span className="bell__where muted">{m.opportunityTitle}</span> : null}
        <span className="bell__excerpt" dir="auto">
          {excerpt(m.body)}
        </span>
        <time className="bell__due muted" dateTime={m.createdAt}>
          {formatDateTime(m.createdAt, calendar, language)}
        </time>
      </button>
    </li>
  );
}
