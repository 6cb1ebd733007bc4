// The signed-in user in the app's top bar: their name opens a small account menu
// (who they are, "Change my password", "Another connection…" when the place may
// change), "Sign out" stays in sight beside it (a shared office computer is signed
// out of often: it is how users switch), the demo badge, and the notice for a user
// who has no password yet.

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { useToast } from "../../components/Toast";
import { describeError } from "../../lib/api";
import type { Session, UserSummary } from "../../lib/types";
import { useChangePlace, useSession, useSignOut } from "./queries";
import "./session.css";

export type UserMenuProps = {
  user: UserSummary;
  /** Whether the user has a password yet (the menu says "Set" or "Change"). */
  needsPassword: boolean;
  onChangePassword: () => void;
};

/** The user's name as a button; it opens a small menu (Escape or a click outside closes it). */
export function UserMenu({ user, needsPassword, onChangePassword }: UserMenuProps) {
  const { t } = useTranslation("session");
  const { t: tc } = useTranslation("common");
  const { t: ta } = useTranslation("admin");
  const toast = useToast();
  const canChangePlace = useSession().data?.canChangePlace ?? false;
  const changePlace = useChangePlace();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
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

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = Array.from(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? []);
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = items[(at + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length];
      next?.focus();
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      (e.key === "Home" ? items[0] : items[items.length - 1])?.focus();
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  };

  return (
    <div className="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="user-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={tc("user.signedInAs", { name: user.displayName })}
        title={user.username}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
        data-testid="user-menu"
      >
        <span className="avatar" aria-hidden="true">
          {user.displayName.trim().charAt(0)}
        </span>
        <span className="user-menu__name">{user.displayName}</span>
        <span className="user-menu__caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <div className="user-menu__panel" role="menu" id={menuId} aria-label={t("menu.label")} onKeyDown={onMenuKey}>
          <div className="user-menu__who" role="presentation">
            <span className="user-menu__who-name">{user.displayName}</span>
            <span className="muted">
              <bdi dir="ltr" lang="en">
                {user.username}
              </bdi>
              {" · "}
              {ta(`users.roles.${user.role}`)}
            </span>
          </div>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="user-menu__item"
            onClick={() => {
              // The dialog gives the focus back to where it was: the menu's button.
              close();
              onChangePassword();
            }}
            data-testid="change-password"
          >
            {needsPassword ? t("menu.setPassword") : t("menu.changePassword")}
          </button>
          {canChangePlace ? (
            <button
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="user-menu__item"
              disabled={changePlace.isPending}
              onClick={() => {
                // Signed out, back to the first-start screen: the menu goes with the app.
                setOpen(false);
                changePlace.mutate(undefined, { onError: (err) => toast.show(describeError(err, tc), "error") });
              }}
              data-testid="menu-change-place"
            >
              {t("menu.changePlace")}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** Signs out: the sign-in screen, with nothing of this user left in the cache. */
export function SignOutButton() {
  const { t } = useTranslation("session");
  const { t: tc } = useTranslation("common");
  const toast = useToast();
  const signOut = useSignOut();
  return (
    <Button
      size="sm"
      variant="ghost"
      busy={signOut.isPending}
      onClick={() => signOut.mutate(undefined, { onError: (err) => toast.show(describeError(err, tc), "error") })}
      data-testid="sign-out"
    >
      {t("menu.signOut")}
    </Button>
  );
}

/** "Demo — signed in as …": the data here is the demo company's. */
export function DemoBadge({ session }: { session: Session }) {
  const { t } = useTranslation("session");
  if (!session.demo || !session.user) return null;
  return (
    <span className="badge session-demo-badge" data-testid="demo-badge">
      {t("demo.badge", { name: session.user.displayName })}
    </span>
  );
}

/** The banner under the header for a user who has no password yet (this computer only). */
export function PasswordNotice({ onSet }: { onSet: () => void }) {
  const { t } = useTranslation("session");
  const [hidden, setHidden] = useState(false);
  if (hidden) return null;
  return (
    <div className="session-notice" role="status" data-testid="password-notice">
      <p className="session-notice__text">{t("notice.noPassword")}</p>
      <Button size="sm" variant="primary" onClick={onSet} data-testid="password-notice-set">
        {t("notice.action")}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setHidden(true)}>
        {t("notice.later")}
      </Button>
    </div>
  );
}
