// The first start (and "Another connection"): where Forsat works — a file on this
// computer, or a team server — and the team servers saved before, to open again.

import { useEffect, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { Brand } from "../../app/Brand";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { Button } from "../../components/Button";
import { useToast } from "../../components/Toast";
import type { ServerConnection } from "../../lib/types";
import { addressOf, describeConnectionError } from "./connection";
import { useForgetServer, useOpenSavedServer, useSavedConnections, useWorkOnThisComputer } from "./queries";
import { ServerForm } from "./ServerForm";

export function FirstStartScreen() {
  const [step, setStep] = useState<"choose" | "server">("choose");
  const teamServerRef = useRef<HTMLButtonElement>(null);
  const [backFromServer, setBackFromServer] = useState(false);

  // Back from the server form: the focus returns to the choice that opened it.
  useEffect(() => {
    if (step === "choose" && backFromServer) teamServerRef.current?.focus();
  }, [step, backFromServer]);

  return (
    <div className="session-screen signin" data-testid="first-start">
      <div className="signin__top">
        <LanguageSwitch />
      </div>
      <main className="signin__main">
        {step === "choose" ? (
          <Choices
            teamServerRef={teamServerRef}
            autoFocus={!backFromServer}
            onTeamServer={() => {
              setStep("server");
              setBackFromServer(false);
            }}
          />
        ) : (
          <ServerForm
            onBack={() => {
              setStep("choose");
              setBackFromServer(true);
            }}
          />
        )}
      </main>
    </div>
  );
}

function Choices({
  teamServerRef,
  autoFocus,
  onTeamServer,
}: {
  teamServerRef: RefObject<HTMLButtonElement | null>;
  autoFocus: boolean;
  onTeamServer: () => void;
}) {
  const { t } = useTranslation("session");
  const { t: tc } = useTranslation("common");
  const here = useWorkOnThisComputer();
  const open = useOpenSavedServer();
  const saved = useSavedConnections();
  const [error, setError] = useState<string | null>(null);
  const busy = here.isPending || open.isPending;
  const servers = saved.data?.servers ?? [];

  const workHere = () => {
    if (busy) return;
    setError(null);
    here.mutate(undefined, { onError: (err) => setError(describeConnectionError(err, t, tc)) });
  };

  const openSaved = (id: number) => {
    if (busy) return;
    setError(null);
    open.mutate(id, { onError: (err) => setError(describeConnectionError(err, t, tc)) });
  };

  return (
    <>
      <section className="card place__card" aria-labelledby="place-title" aria-busy={busy || undefined}>
        <Brand className="signin__brand" />
        <div className="signin__heading">
          <h1 className="signin__title" id="place-title">
            {t("place.title")}
          </h1>
          <p className="muted">{t("place.intro")}</p>
        </div>
        <div className="place__choices">
          <button
            type="button"
            className="place__choice"
            onClick={workHere}
            disabled={busy}
            aria-busy={here.isPending || undefined}
            aria-describedby="place-this-computer-body"
            autoFocus={autoFocus}
            data-testid="place-this-computer"
          >
            <span className="place__choice-icon" aria-hidden="true">
              <ComputerIcon />
            </span>
            <span className="place__choice-title">{here.isPending ? t("place.opening") : t("place.thisComputer")}</span>
            <span className="place__choice-body" id="place-this-computer-body">
              {t("place.thisComputerBody")}
            </span>
          </button>
          <button
            ref={teamServerRef}
            type="button"
            className="place__choice"
            onClick={onTeamServer}
            disabled={busy}
            aria-describedby="place-team-server-body"
            data-testid="place-team-server"
          >
            <span className="place__choice-icon" aria-hidden="true">
              <ServerIcon />
            </span>
            <span className="place__choice-title">{t("place.teamServer")}</span>
            <span className="place__choice-body" id="place-team-server-body">
              {t("place.teamServerBody")}
            </span>
          </button>
        </div>
        {error ? (
          <p className="form-alert" role="alert" data-testid="first-start-error">
            {error}
          </p>
        ) : null}
      </section>
      {servers.length > 0 ? (
        <SavedServers servers={servers} opening={open.isPending ? open.variables : null} disabled={busy} onOpen={openSaved} onError={setError} />
      ) : null}
    </>
  );
}

function SavedServers({
  servers,
  opening,
  disabled,
  onOpen,
  onError,
}: {
  servers: ServerConnection[];
  opening: number | null;
  disabled: boolean;
  onOpen: (id: number) => void;
  onError: (message: string | null) => void;
}) {
  const { t } = useTranslation("session");
  const { t: tc } = useTranslation("common");
  const toast = useToast();
  const forget = useForgetServer();

  const forgetOne = (s: ServerConnection) => {
    onError(null);
    forget.mutate(s.id, {
      onSuccess: () => toast.show(t("place.forgotten", { name: s.name }), "info"),
      onError: (err) => onError(describeConnectionError(err, t, tc)),
    });
  };

  return (
    <section className="card place__saved" aria-labelledby="place-saved-title" data-testid="saved-servers">
      <div>
        <h2 className="form__section-title" id="place-saved-title">
          {t("place.saved")}
        </h2>
        <p className="muted">{t("place.savedIntro")}</p>
      </div>
      <ul className="place__servers">
        {servers.map((s) => (
          <li key={s.id} className="place__server">
            <button
              type="button"
              className="place__server-open"
              onClick={() => onOpen(s.id)}
              disabled={disabled}
              aria-busy={opening === s.id || undefined}
              aria-label={t("place.open", { name: s.name })}
              aria-describedby={`saved-server-${s.id}-meta`}
              data-testid={`saved-server-${s.id}`}
            >
              <span className="place__server-name">{opening === s.id ? t("place.opening") : s.name}</span>
              <span className="place__server-meta" id={`saved-server-${s.id}-meta`}>
                <bdi dir="ltr" lang="en">
                  {addressOf(s)}
                </bdi>
                {s.lastUsername ? (
                  <>
                    {" · "}
                    {t("place.lastUser", { username: s.lastUsername })}
                  </>
                ) : null}
              </span>
            </button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => forgetOne(s)}
              disabled={disabled}
              busy={forget.isPending && forget.variables === s.id}
              aria-label={t("place.forgetLabel", { name: s.name })}
              data-testid={`saved-server-${s.id}-forget`}
            >
              {t("place.forget")}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ComputerIcon() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" focusable="false">
      <rect x="3" y="4" width="18" height="12" rx="2" />
      <path d="M8 20h8M12 16v4" />
    </svg>
  );
}

function ServerIcon() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" focusable="false">
      <rect x="4" y="3" width="16" height="7" rx="1.5" />
      <rect x="4" y="14" width="16" height="7" rx="1.5" />
      <path d="M8 6.5h.01M8 17.5h.01" />
    </svg>
  );
}
