// "Connect to a team server": the server's name, host, port, database and encryption,
// "Test the connection" (nothing is saved) and "Connect" (saved, then the sign-in
// screen or the retry screen). Field refusals show under their fields.

import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Field } from "../../components/Field";
import { describeFieldError, fieldErrorsOf } from "../../lib/api";
import { toLocalDigits } from "../../lib/format";
import type { FieldError, ServerInput, TlsMode } from "../../lib/types";
import { describeConnectionError } from "./connection";
import { useConnectToServer, useTestServer } from "./queries";

export const DEFAULT_PORT = 5432;
export const DEFAULT_DATABASE = "forsat";
const TLS_MODES: readonly TlsMode[] = ["disable", "prefer", "require", "verifyFull"];
const FIELDS = ["name", "host", "port", "database", "tls"] as const;
type FieldName = (typeof FIELDS)[number];
type Errors = Partial<Record<FieldName, string>>;

type TestResult = { ok: boolean; text: string };

export function ServerForm({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation("session");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const test = useTestServer();
  const connect = useConnectToServer();
  const [name, setName] = useState("");
  const [host, setHost] = useState("");
  const [port, setPort] = useState(String(DEFAULT_PORT));
  const [database, setDatabase] = useState(DEFAULT_DATABASE);
  const [tls, setTls] = useState<TlsMode>("prefer");
  const [errors, setErrors] = useState<Errors>({});
  const [result, setResult] = useState<TestResult | null>(null);
  const [alert, setAlert] = useState<string | null>(null);
  const refs = {
    name: useRef<HTMLInputElement>(null),
    host: useRef<HTMLInputElement>(null),
    port: useRef<HTMLInputElement>(null),
    database: useRef<HTMLInputElement>(null),
    tls: useRef<HTMLSelectElement>(null),
  };
  const busy = test.isPending || connect.isPending;

  /** Any edit makes an earlier test result and the field's refusal stale. */
  const edited = (field: FieldName) => {
    setResult(null);
    setAlert(null);
    setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));
  };

  const focusFirst = (errs: Errors) => {
    const first = FIELDS.find((f) => errs[f]);
    if (first) refs[first].current?.focus();
  };

  const fieldMessage = (f: FieldError): string => {
    if (f.field === "host" && f.code === "duplicate") return t("server.duplicate");
    if (f.field === "host" && f.code === "invalid") return t("server.hostInvalid");
    if (f.field === "database" && f.code === "invalid") return t("server.databaseInvalid");
    if (f.field === "port") return t("server.portRange");
    return describeFieldError(f, tc, (v) => toLocalDigits(v, language));
  };

  /** The input as the backend takes it, or null (and the refusal shown) for a port that is not one. */
  const inputOf = (): ServerInput | null => {
    const digits = port.trim().replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
    const n = /^\d{1,5}$/.test(digits) ? Number(digits) : NaN;
    if (!(n >= 1 && n <= 65535)) {
      const errs = { ...errors, port: t("server.portRange") };
      setErrors(errs);
      focusFirst(errs);
      return null;
    }
    return { name: name.trim(), host: host.trim(), port: n, database: database.trim(), tls };
  };

  /** Shows a refusal: under the fields for validation, else as one sentence (`asResult`: on the test's line). */
  const showError = (err: unknown, asResult: boolean) => {
    const fields = fieldErrorsOf(err);
    if (fields.length > 0) {
      const errs: Errors = {};
      for (const f of fields) {
        const key = FIELDS.find((k) => k === f.field);
        if (key && !errs[key]) errs[key] = fieldMessage(f);
      }
      setErrors(errs);
      focusFirst(errs);
      // A refusal of no field shown here still gets a sentence.
      if (fields.some((f) => !FIELDS.some((k) => k === f.field))) setAlert(tc("errors.validation"));
      return;
    }
    const text = describeConnectionError(err, t, tc);
    if (asResult) setResult({ ok: false, text });
    else setAlert(text);
  };

  const runTest = () => {
    if (busy) return;
    setResult(null);
    setAlert(null);
    const input = inputOf();
    if (!input) return;
    test.mutate(input, {
      onSuccess: () => {
        setErrors({});
        setResult({ ok: true, text: t("server.answers") });
      },
      onError: (err) => showError(err, true),
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setAlert(null);
    const input = inputOf();
    if (!input) return;
    // Adopted on success: the sign-in screen, or the retry screen when nobody answers.
    connect.mutate({ id: null, input }, { onError: (err) => showError(err, false) });
  };

  return (
    <section className="card place__form-card" aria-labelledby="server-form-title" aria-busy={busy || undefined}>
      <div className="signin__heading">
        <h1 className="signin__title" id="server-form-title">
          {t("server.title")}
        </h1>
        <p className="muted">{t("server.intro")}</p>
      </div>
      <form className="signin__form" onSubmit={submit} noValidate data-testid="server-form">
        <Field label={t("server.name")} help={t("server.nameHelp")} error={errors.name}>
          {(p) => (
            <input
              {...p}
              ref={refs.name}
              name="name"
              className="input"
              autoComplete="off"
              autoFocus
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                edited("name");
              }}
              data-testid="server-name"
            />
          )}
        </Field>
        <div className="place__row place__row--host">
          <Field label={t("server.host")} help={t("server.hostHelp")} error={errors.host}>
            {(p) => (
              <input
                {...p}
                ref={refs.host}
                name="host"
                className="input"
                dir="ltr"
                lang="en"
                autoComplete="off"
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                value={host}
                onChange={(e) => {
                  setHost(e.target.value);
                  edited("host");
                }}
                data-testid="server-host"
              />
            )}
          </Field>
          <Field label={t("server.port")} error={errors.port}>
            {(p) => (
              <input
                {...p}
                ref={refs.port}
                name="port"
                className="input"
                dir="ltr"
                inputMode="numeric"
                autoComplete="off"
                value={port}
                onChange={(e) => {
                  setPort(e.target.value);
                  edited("port");
                }}
                data-testid="server-port"
              />
            )}
          </Field>
        </div>
        <div className="place__row">
          <Field label={t("server.database")} error={errors.database}>
            {(p) => (
              <input
                {...p}
                ref={refs.database}
                name="database"
                className="input"
                dir="ltr"
                lang="en"
                autoComplete="off"
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                value={database}
                onChange={(e) => {
                  setDatabase(e.target.value);
                  edited("database");
                }}
                data-testid="server-database"
              />
            )}
          </Field>
          <Field label={t("server.tls")} help={t("server.tlsHelp")} error={errors.tls}>
            {(p) => (
              <select
                {...p}
                ref={refs.tls}
                name="tls"
                className="input"
                value={tls}
                onChange={(e) => {
                  setTls(e.target.value as TlsMode);
                  edited("tls");
                }}
                data-testid="server-tls"
              >
                {TLS_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`server.tlsOptions.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>

        <div className="place__test">
          <Button onClick={runTest} busy={test.isPending} disabled={connect.isPending} data-testid="server-test">
            {test.isPending ? t("server.testing") : t("server.test")}
          </Button>
          <p
            className={["place__result", result ? (result.ok ? "place__result--ok" : "place__result--bad") : ""].filter(Boolean).join(" ")}
            role="status"
            aria-live="polite"
            data-testid="server-test-result"
          >
            {result ? (
              <>
                <span className="place__result-mark" aria-hidden="true">
                  {result.ok ? "✓" : "!"}
                </span>
                {result.text}
              </>
            ) : null}
          </p>
        </div>

        {alert ? (
          <p className="form-alert" role="alert" data-testid="server-error">
            {alert}
          </p>
        ) : null}

        <div className="place__actions">
          <Button variant="ghost" onClick={onBack} disabled={connect.isPending} data-testid="server-back">
            {t("server.back")}
          </Button>
          <Button type="submit" variant="primary" busy={connect.isPending} disabled={test.isPending} data-testid="server-connect">
            {connect.isPending ? t("server.connecting") : t("server.connect")}
          </Button>
        </div>
      </form>
    </section>
  );
}
