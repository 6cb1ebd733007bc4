// The team server did not answer: which server, why in plain words, "Try again", and
// (when the place may change) "Another connection". Nothing is lost: the app simply
// waits for the server.

import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Brand } from "../../app/Brand";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { Button } from "../../components/Button";
import type { Session } from "../../lib/types";
import { addressOf, describeConnectionError, reasonText } from "./connection";
import { useChangePlace, useOpenSavedServer } from "./queries";

export function UnreachableScreen({ session }: { session: Session }) {
  const { t } = useTranslation("session");
  const { t: tc } = useTranslation("common");
  const retry = useOpenSavedServer();
  const change = useChangePlace();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const connection = session.connection;
  const code = session.unreachable ?? "server_unreachable";
  const name = session.server ?? connection?.name ?? "";
  const busy = retry.isPending || change.isPending;

  const tryAgain = () => {
    if (!connection || busy) return;
    setStatus(null);
    setError(null);
    retry.mutate(connection.id, {
      // Still unreachable: this screen stays, and says it tried.
      onSuccess: (next) => {
        if (next.unreachable) setStatus(t("unreachable.stillNot"));
      },
      onError: (err) => setError(describeConnectionError(err, t, tc)),
    });
  };

  const another = () => {
    if (busy) return;
    setStatus(null);
    setError(null);
    change.mutate(undefined, { onError: (err) => setError(describeConnectionError(err, t, tc)) });
  };

  return (
    <div className="session-screen signin" data-testid="unreachable-screen">
      <div className="signin__top">
        <LanguageSwitch />
      </div>
      <main className="signin__main">
        <section className="card signin__card unreachable__card" aria-labelledby="unreachable-title" aria-busy={busy || undefined}>
          <Brand className="signin__brand" />
          <div className="signin__heading">
            <h1 className="signin__title" id="unreachable-title">
              {t("unreachable.title")}
            </h1>
            <p data-testid="unreachable-body">
              <Trans t={t} i18nKey="unreachable.body" values={{ name }} components={{ b: <bdi className="unreachable__name" /> }} />
            </p>
            {connection ? (
              <p className="signin__server" data-testid="unreachable-address">
                <bdi dir="ltr" lang="en">
                  {addressOf(connection)}
                </bdi>
              </p>
            ) : null}
          </div>
          <p className="unreachable__reason" data-testid="unreachable-reason">
            {reasonText(code, t)}
          </p>
          {!connection ? <p className="muted">{t("unreachable.restart")}</p> : null}
          <div className="unreachable__actions">
            {connection ? (
              <Button variant="primary" onClick={tryAgain} busy={retry.isPending} disabled={change.isPending} autoFocus data-testid="unreachable-retry">
                {retry.isPending ? t("unreachable.retrying") : t("unreachable.retry")}
              </Button>
            ) : null}
            {session.canChangePlace ? (
              <Button onClick={another} busy={change.isPending} disabled={retry.isPending} autoFocus={!connection} data-testid="unreachable-change">
                {t("unreachable.change")}
              </Button>
            ) : null}
          </div>
          <p className="unreachable__status muted" role="status" data-testid="unreachable-status">
            {status}
          </p>
          {error ? (
            <p className="form-alert" role="alert" data-testid="unreachable-error">
              {error}
            </p>
          ) : null}
        </section>
      </main>
    </div>
  );
}
