// The sign-in screen: the whole window, shown while nobody is signed in. It names
// the team server when there is one (with "Remember me on this computer" and the
// last username there), offers another connection when the place may change and,
// for the demo company, lists its users and their shared password (a click fills
// the form).

import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Brand } from "../../app/Brand";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { Button } from "../../components/Button";
import { Field } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError } from "../../lib/api";
import type { DemoAccounts, Session } from "../../lib/types";
import { describeConnectionError } from "./connection";
import { useChangePlace, useSignIn } from "./queries";

export function SignInScreen({ session }: { session: Session }) {
  const { t } = useTranslation("session");
  const { t: tc } = useTranslation("common");
  const toast = useToast();
  const signIn = useSignIn();
  const changePlace = useChangePlace();
  const onServer = session.backend === "postgres";
  const lastUsername = session.connection?.lastUsername ?? "";
  const [username, setUsername] = useState(lastUsername);
  const [remember, setRemember] = useState(session.connection?.remembered ?? false);
  const [password, setPassword] = useState("");
  const [usernameError, setUsernameError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);

  const describe = (e: unknown): string => {
    const appError = appErrorOf(e);
    if (appError?.kind === "forbidden" && appError.reason === "wrong_credentials") return t("signIn.wrongCredentials");
    if (appError?.kind === "database" && appError.message === "server_unreachable") return t("signIn.unreachable");
    if (appError?.kind === "database" && appError.message === "server_version_mismatch") return t("signIn.versionMismatch");
    if (appError?.kind === "database" && appError.message === "server_tls_failed") return t("signIn.tlsFailed");
    if (appError?.kind === "database" && appError.message === "server_database_missing") return t("signIn.databaseMissing");
    return describeError(e, tc);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (signIn.isPending) return;
    if (username.trim() === "") {
      setUsernameError(t("signIn.usernameRequired"));
      setError(null);
      usernameRef.current?.focus();
      return;
    }
    setError(null);
    signIn.mutate(
      { username: username.trim(), password, remember: onServer && remember },
      {
        // Signed in all the same; the password just was not kept for the next start.
        onSuccess: (next) => {
          if (next.notice === "keychain_unavailable") toast.show(t("notice.keychainUnavailable"), "info");
        },
        onError: (err) => {
          setError(describe(err));
          // Wrong credentials: the password is the likelier typo; select it to type again.
          if (appErrorOf(err)?.kind === "forbidden") passwordRef.current?.select();
        },
      },
    );
  };

  const fill = (user: string, demoPassword: string) => {
    setUsername(user);
    setPassword(demoPassword);
    setUsernameError(null);
    setError(null);
    submitRef.current?.focus();
  };

  return (
    <div className="session-screen signin">
      <div className="signin__top">
        <LanguageSwitch />
      </div>
      <main className="signin__main">
        <section className="card signin__card" aria-labelledby="signin-title">
          <Brand className="signin__brand" />
          <div className="signin__heading">
            <h1 className="signin__title" id="signin-title">
              {t("signIn.title")}
            </h1>
            <p className="muted">{t("signIn.intro")}</p>
            {session.server ? (
              <p className="signin__server" data-testid="sign-in-server">
                {t("signIn.server")}{" "}
                <bdi dir="ltr" lang="en">
                  {session.server}
                </bdi>
              </p>
            ) : null}
          </div>
          <form className="signin__form" onSubmit={submit} noValidate data-testid="sign-in-form">
            <Field label={t("signIn.username")} error={usernameError}>
              {(p) => (
                <input
                  {...p}
                  ref={usernameRef}
                  name="username"
                  className="input"
                  dir="ltr"
                  lang="en"
                  autoComplete="username"
                  autoCapitalize="none"
                  autoCorrect="off"
                  spellCheck={false}
                  autoFocus={lastUsername === ""}
                  value={username}
                  onChange={(e) => {
                    setUsername(e.target.value);
                    setUsernameError(null);
                  }}
                  data-testid="sign-in-username"
                />
              )}
            </Field>
            <Field label={t("signIn.password")} help={session.backend === "sqlite" && !session.demo ? t("signIn.passwordHelpNone") : undefined}>
              {(p) => (
                <input
                  {...p}
                  ref={passwordRef}
                  name="password"
                  type="password"
                  className="input"
                  dir="ltr"
                  autoComplete="current-password"
                  autoFocus={lastUsername !== ""}
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  data-testid="sign-in-password"
                />
              )}
            </Field>
            {onServer ? (
              <div className="signin__remember">
                <label className="check">
                  <input
                    type="checkbox"
                    name="remember"
                    checked={remember}
                    onChange={(e) => setRemember(e.target.checked)}
                    aria-describedby="sign-in-remember-help"
                    data-testid="sign-in-remember"
                  />
                  <span>{t("signIn.remember")}</span>
                </label>
                <p className="field__help" id="sign-in-remember-help">
                  {t("signIn.rememberHelp")}
                </p>
              </div>
            ) : null}
            <Button ref={submitRef} type="submit" variant="primary" busy={signIn.isPending} className="signin__submit" data-testid="sign-in-submit">
              {signIn.isPending ? t("signIn.submitting") : t("signIn.submit")}
            </Button>
            {error ? (
              <p className="form-alert" role="alert" data-testid="sign-in-error">
                {error}
              </p>
            ) : null}
          </form>
          {session.canChangePlace ? (
            <div className="signin__change">
              <Button
                size="sm"
                variant="ghost"
                busy={changePlace.isPending}
                disabled={signIn.isPending}
                onClick={() => {
                  setError(null);
                  changePlace.mutate(undefined, { onError: (err) => setError(describeConnectionError(err, t, tc)) });
                }}
                data-testid="change-place"
              >
                {changePlace.isPending ? t("signIn.changing") : t("signIn.changePlace")}
              </Button>
            </div>
          ) : null}
        </section>
        {session.demo ? <DemoUsers demo={session.demo} onChoose={fill} /> : null}
      </main>
    </div>
  );
}

function DemoUsers({ demo, onChoose }: { demo: DemoAccounts; onChoose: (username: string, password: string) => void }) {
  const { t } = useTranslation("session");
  const { t: ta } = useTranslation("admin");
  return (
    <section className="card signin__demo" aria-labelledby="signin-demo-title" data-testid="sign-in-demo">
      <h2 className="form__section-title" id="signin-demo-title">
        {t("demo.title")}
      </h2>
      <p>
        {t("demo.body")}{" "}
        <code className="signin__code" dir="ltr" lang="en" data-testid="sign-in-demo-password">
          {demo.password}
        </code>
      </p>
      <p className="muted">{t("demo.choose")}</p>
      <ul className="signin__users">
        {demo.users.map((u) => (
          <li key={u.id}>
            <button
              type="button"
              className="signin__user"
              onClick={() => onChoose(u.username, demo.password)}
              aria-label={t("demo.fill", { name: u.displayName, role: ta(`users.roles.${u.role}`) })}
              data-testid={`sign-in-demo-${u.username}`}
            >
              <span className="avatar" aria-hidden="true">
                {u.displayName.trim().charAt(0)}
              </span>
              <span className="signin__user-name">{u.displayName}</span>
              <span className="signin__user-meta">
                <bdi dir="ltr" lang="en">
                  {u.username}
                </bdi>
                {" · "}
                {ta(`users.roles.${u.role}`)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
