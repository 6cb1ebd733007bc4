// The opportunity form's Comments panel: short messages with their author and time,
// newest first. Typing "@" offers the active colleagues; "@username" notifies them
// (when they may see the opportunity). Enter sends (Shift+Enter: a new line) unless
// the "Send with Enter" switch is off, which is remembered on this computer.

import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { ErrorState, Loading } from "../../components/States";
import { describeError } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import type { UserSummary } from "../../lib/types";
import { useAllUsers, useUsers } from "../../shared/lookups";
import { insertMention, matchUsers, mentionQueryAt, splitMentions, type MentionQuery } from "./mentions";
import { useAddComment, useComments } from "./queries";
import "./comments.css";

const ENTER_SENDS_KEY = "forsat.comments.enterSends";
/** The longest comment the backend accepts. */
export const COMMENT_MAX = 2000;

function storedEnterSends(): boolean {
  try {
    return window.localStorage.getItem(ENTER_SENDS_KEY) !== "0";
  } catch {
    return true;
  }
}

function storeEnterSends(on: boolean): void {
  try {
    window.localStorage.setItem(ENTER_SENDS_KEY, on ? "1" : "0");
  } catch {
    // Storage may be unavailable: the switch holds for this window.
  }
}

export function CommentsPanel({ opportunityId }: { opportunityId: number }) {
  const { t } = useTranslation("followup");
  const { t: tc } = useTranslation();
  const { language, calendar } = useAppSettings();
  const comments = useComments(opportunityId);
  const add = useAddComment(opportunityId);
  const activeUsers = useUsers();
  const allUsers = useAllUsers();
  const uid = useId();
  const input = useRef<HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const [body, setBody] = useState("");
  const [enterSends, setEnterSends] = useState(storedEnterSends);
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);

  const suggestions = mention ? matchUsers(activeUsers.data ?? [], mention.query) : [];
  const offering = suggestions.length > 0;
  const chosen = offering ? Math.min(active, suggestions.length - 1) : 0;
  const known = useMemo(() => {
    const list = allUsers.data ?? activeUsers.data;
    return list ? new Set(list.map((u) => u.username.toLocaleLowerCase())) : undefined;
  }, [allUsers.data, activeUsers.data]);

  // The caret goes after an inserted mention once the new text is on screen.
  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    if (caret === null || !input.current) return;
    pendingCaret.current = null;
    input.current.focus();
    input.current.setSelectionRange(caret, caret);
  }, [body]);

  const follow = (el: HTMLTextAreaElement) => {
    const next = el.selectionStart === el.selectionEnd ? mentionQueryAt(el.value, el.selectionStart) : null;
    setMention((old) => (old?.start === next?.start && old?.query === next?.query ? old : next));
    if (next?.start !== mention?.start) setActive(0);
  };

  const choose = (user: UserSummary) => {
    const el = input.current;
    if (!mention || !el) return;
    const next = insertMention(body, mention.start, el.selectionStart, user.username);
    pendingCaret.current = next.caret;
    setBody(next.text);
    setMention(null);
  };

  const canSend = body.trim() !== "" && !add.isPending;
  const send = () => {
    if (!canSend) return;
    setMention(null);
    add.mutate(body.trim(), {
      onSuccess: () => {
        setBody("");
        input.current?.focus();
      },
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (offering) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        setActive((chosen + (e.key === "ArrowDown" ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
        const user = suggestions[chosen];
        if (user) {
          e.preventDefault();
          choose(user);
          return;
        }
      }
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        setMention(null);
        return;
      }
    }
    if (e.key !== "Enter") return;
    if (e.ctrlKey || e.metaKey || (enterSends && !e.shiftKey && !e.altKey)) {
      e.preventDefault();
      send();
    }
  };

  const listId = `${uid}-mentions`;
  const optionId = (i: number) => `${uid}-mention-${i}`;

  return (
    <section className="card form-card comments" aria-labelledby={`${uid}-title`} data-testid="comments-panel">
      <h2 className="form__section-title" id={`${uid}-title`}>
        {t("comments.title")}
      </h2>

      <div className="comments__composer">
        <label className="visually-hidden" htmlFor={`${uid}-input`}>
          {t("comments.inputLabel")}
        </label>
        <div className="comments__input-wrap">
          <textarea
            ref={input}
            id={`${uid}-input`}
            className="input comments__input"
            rows={3}
            dir="auto"
            maxLength={COMMENT_MAX}
            value={body}
            placeholder={t("comments.placeholder")}
            aria-describedby={`${uid}-hint`}
            aria-autocomplete="list"
            aria-controls={offering ? listId : undefined}
            aria-activedescendant={offering ? optionId(chosen) : undefined}
            onChange={(e) => {
              setBody(e.target.value);
              follow(e.target);
            }}
            onSelect={(e) => follow(e.currentTarget)}
            onKeyDown={onKeyDown}
            onBlur={() => setMention(null)}
            data-testid="comment-input"
          />
          {offering ? (
            <ul className="comments__mentions" role="listbox" id={listId} aria-label={t("comments.suggestions")} data-testid="comment-mentions">
              {suggestions.map((u, i) => (
                <li
                  key={u.id}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === chosen}
                  className={i === chosen ? "comments__mention-option is-active" : "comments__mention-option"}
                  // Keeps the focus (and the caret) in the text while choosing.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(u)}
                  data-testid={`comment-mention-${u.username}`}
                >
                  <span>{u.displayName}</span>
                  <bdi className="muted" dir="auto">
                    @{u.username}
                  </bdi>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="comments__controls">
          <label className="check comments__switch">
            <input
              type="checkbox"
              role="switch"
              checked={enterSends}
              onChange={(e) => {
                setEnterSends(e.target.checked);
                storeEnterSends(e.target.checked);
              }}
              data-testid="comment-enter-sends"
            />
            <span>{t("comments.enterSends")}</span>
          </label>
          <span className="muted comments__hint" id={`${uid}-hint`}>
            {enterSends ? t("comments.enterHint") : t("comments.ctrlHint")}
          </span>
          <Button variant="primary" size="sm" onClick={send} disabled={!canSend} busy={add.isPending} data-testid="comment-send">
            {t("comments.send")}
          </Button>
        </div>
        {add.isError ? (
          <p className="field__error" role="alert" data-testid="comment-error">
            {describeError(add.error, tc)}
          </p>
        ) : null}
      </div>

      {comments.isPending ? (
        <Loading inline />
      ) : comments.isError && !comments.data ? (
        <ErrorState error={comments.error} title={t("comments.loadError")} onRetry={() => void comments.refetch()} />
      ) : (comments.data ?? []).length === 0 ? (
        <p className="muted comments__empty" data-testid="comments-empty">
          {t("comments.empty")}
        </p>
      ) : (
        <ul className="comments__list" aria-label={t("comments.list")}>
          {(comments.data ?? []).map((c) => (
            <li key={c.id} className="comments__item" data-testid="comment-item">
              <div className="comments__meta">
                <span className="comments__author">{c.authorName ?? t("comments.unknownAuthor")}</span>
                <time className="muted" dateTime={c.createdAt}>
                  {formatDateTime(c.createdAt, calendar, language)}
                </time>
              </div>
              <p className="comments__body" dir="auto">
                {splitMentions(c.body, known).map((part, i) =>
                  part.mention ? (
                    <mark key={i} className="comments__at" dir="auto">
                      {part.text}
                    </mark>
                  ) : (
                    <span key={i}>{part.text}</span>
                  ),
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
