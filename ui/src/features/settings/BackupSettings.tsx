// Settings › Backups: this computer's backups (newest first), "Back up now", how many
// daily ones are kept, and restoring one, from the list or a file named by its path
// (typed, or chosen in the system's dialog). A backup file the system handed over
// ("Open with", app/desktop) is offered here for restoring. A restore replaces every record: it asks first, shows its steps as the backend
// sends them, and then adopts the session it answers with (nothing loaded from the
// replaced data stays). On a team server the section explains the server's own path.

import { useState, useSyncExternalStore, type FormEvent } from "react";
import { Channel } from "@tauri-apps/api/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { handedBackup, type HandedBackup } from "../../app/desktop/handoff";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Field } from "../../components/Field";
import { Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { appErrorOf, commands, describeError, unwrap } from "../../lib/api";
import { formatDateTime, formatNumber, normalizeDigits } from "../../lib/format";
import type { BackupInfo, BackupKind, BackupSettings as Settings, RestoreResult, RestoreStep } from "../../lib/types";
import { FormDialog, localError, useDescribeAdminError, useFormErrors, type SpecialMessage } from "../admin/common";
import { adoptSession } from "../session/queries";

const settingsKey = ["backupSettings"] as const;
const listKey = ["backups"] as const;

/** The steps of a restore, in order (`RestoreStep`). */
export const RESTORE_STEPS: readonly RestoreStep[] = ["checking", "safety_copy", "replacing", "reopening"];

/** A size in bytes in the largest unit that keeps it ≥ 1 (KB, MB, GB), one decimal. */
export function sizeParts(bytes: number): { value: number; unit: "b" | "kb" | "mb" | "gb" } {
  const units = ["b", "kb", "mb", "gb"] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return { value: i === 0 ? value : Math.round(value * 10) / 10, unit: units[i] };
}

function useBackupSettings() {
  return useQuery<Settings>({ queryKey: settingsKey, queryFn: () => unwrap(commands.backupSettings()), retry: false });
}

function useBackups(enabled: boolean) {
  return useQuery<BackupInfo[]>({ queryKey: listKey, queryFn: () => unwrap(commands.listBackups()), enabled, retry: false });
}

export function BackupSettings() {
  const { t } = useTranslation("settings");
  const describe = useDescribeAdminError("admin");
  const settings = useBackupSettings();

  if (settings.isPending) return <Loading />;
  if (settings.error) {
    return (
      <div className="state state--error" role="alert" data-testid="backup-error">
        <h3 className="state__title">{t("backup.loadError")}</h3>
        <p className="state__body">{describe(settings.error)}</p>
      </div>
    );
  }
  const data = settings.data;
  return (
    <section className="admin-section" aria-labelledby="backup-title" data-testid="backup-section">
      <header className="admin-section__header">
        <div>
          <h2 className="admin-section__title" id="backup-title">
            {t("backup.title")}
          </h2>
          <p className="page__subtitle">{data.available ? t("backup.description") : t("backup.serverDescription")}</p>
        </div>
      </header>
      {data.available ? <LocalBackups settings={data} /> : <ServerBackups />}
    </section>
  );
}

/** A team server is backed up by whoever runs it, with PostgreSQL's own tools. */
function ServerBackups() {
  const { t } = useTranslation("settings");
  return (
    <div className="card settings" data-testid="backup-server">
      <p>{t("backup.serverBody")}</p>
      <pre className="code-block" dir="ltr">
        {"pg_dumpall --roles-only > roles.sql\npg_dump --format=custom --file=forsat.dump forsat"}
      </pre>
      <p className="field__help">{t("backup.serverRestore")}</p>
    </div>
  );
}

/** What a restore dialog restores: a backup of the list (by its name), or a file (by its path). */
type RestoreTarget = { fileName: string | null; createdAt: string | null; path?: string };

/** The system's open dialog for a backup file: its path, or null when it was closed. */
function usePickBackupFile() {
  const { t: tc } = useTranslation("common");
  const toast = useToast();
  return useMutation({
    mutationFn: () => unwrap(commands.pickBackupFile()),
    onError: (e) => toast.show(describeError(e, tc), "error"),
  });
}

function LocalBackups({ settings }: { settings: Settings }) {
  const { t } = useTranslation("settings");
  const { t: ta } = useTranslation("admin");
  const { language, calendar } = useAppSettings();
  const toast = useToast();
  const describe = useDescribeAdminError("admin");
  const queryClient = useQueryClient();
  const backups = useBackups(true);
  const [restoring, setRestoring] = useState<RestoreTarget | null>(null);
  // A backup file handed over by the system waits here until it is restored or set aside.
  const handed = useSyncExternalStore(handedBackup.subscribe, handedBackup.peek);
  const pick = usePickBackupFile();
  const pickFile = () =>
    pick.mutate(undefined, {
      onSuccess: (path) => {
        if (path) setRestoring({ fileName: null, createdAt: null, path });
      },
    });

  const backupNow = useMutation({
    mutationFn: () => unwrap(commands.backupNow()),
    onSuccess: (made) => {
      queryClient.setQueryData<BackupInfo[]>(listKey, (old) => [made, ...(old ?? []).filter((b) => b.fileName !== made.fileName)]);
      toast.show(t("backup.made", { name: made.fileName }));
    },
    onError: (e) => toast.show(describe(e), "error"),
  });

  const size = (bytes: number | null) => {
    if (bytes === null) return "—";
    const { value, unit } = sizeParts(bytes);
    return t(`backup.size.${unit}`, { value: formatNumber(value, language) });
  };

  return (
    <div className="backup-page">
      <div className="card settings">
        <div className="backup-actions">
          <Button variant="primary" onClick={() => backupNow.mutate()} busy={backupNow.isPending} data-testid="backup-now">
            {t("backup.now")}
          </Button>
          <Button onClick={() => setRestoring({ fileName: null, createdAt: null })} data-testid="backup-restore-file">
            {t("backup.restoreFile")}
          </Button>
          <Button onClick={pickFile} busy={pick.isPending} data-testid="backup-pick-file">
            {t("backup.pickFile")}
          </Button>
        </div>
        {settings.folder ? (
          <p className="field__help">
            {t("backup.folder")}{" "}
            <bdi dir="ltr" className="backup-path" data-testid="backup-folder">
              {settings.folder}
            </bdi>
          </p>
        ) : null}
        <KeepForm settings={settings} />
      </div>
      {backups.isPending ? (
        <Loading />
      ) : backups.error ? (
        <div className="state state--error" role="alert">
          <h3 className="state__title">{t("backup.listError")}</h3>
          <p className="state__body">{describe(backups.error)}</p>
          <div className="state__action">
            <Button onClick={() => void backups.refetch()}>{t("backup.retry")}</Button>
          </div>
        </div>
      ) : backups.data.length === 0 ? (
        <div className="state" data-testid="backup-empty">
          <h3 className="state__title">{t("backup.empty")}</h3>
          <p className="state__body">{t("backup.emptyBody")}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table admin-table" data-testid="backup-table">
            <caption className="visually-hidden">{t("backup.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("backup.when")}</th>
                <th scope="col">{t("backup.kind.label")}</th>
                <th scope="col" className="num">
                  {t("backup.sizeLabel")}
                </th>
                <th scope="col">{t("backup.file")}</th>
                <th scope="col">
                  <span className="visually-hidden">{ta("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {backups.data.map((b) => (
                <tr key={b.fileName} data-testid="backup-row" data-file={b.fileName}>
                  <td>{formatDateTime(b.createdAt, calendar, language)}</td>
                  <td>{t(`backup.kind.${b.kind satisfies BackupKind}`)}</td>
                  <td className="num">{size(b.size)}</td>
                  <td>
                    <bdi dir="ltr" className="backup-path" title={b.path}>
                      {b.fileName}
                    </bdi>
                  </td>
                  <td className="admin-table__actions">
                    <Button
                      size="sm"
                      onClick={() => setRestoring({ fileName: b.fileName, createdAt: b.createdAt })}
                      data-testid="backup-restore"
                      aria-label={t("backup.restoreNamed", { when: formatDateTime(b.createdAt, calendar, language) })}
                    >
                      {t("backup.restore")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {handed ? (
        <RestoreDialog key={handed.path} target={{ fileName: null, createdAt: null, path: handed.path }} opened={handed} onClose={() => handedBackup.take()} />
      ) : restoring ? (
        <RestoreDialog target={restoring} onClose={() => setRestoring(null)} />
      ) : null}
    </div>
  );
}

function KeepForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation("settings");
  const { language } = useAppSettings();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(String(settings.keep));
  const errors = useFormErrors(["keep"], { forbidden: "admin" });
  const save = useMutation({
    mutationFn: (keep: number) => unwrap(commands.setBackupKeep(keep)),
    onSuccess: (next) => {
      queryClient.setQueryData(settingsKey, next);
      errors.reset();
      toast.show(t("backup.keepSaved", { count: next.keep, n: formatNumber(next.keep, language) }));
    },
    onError: errors.handle,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const digits = normalizeDigits(draft).trim();
    const keep = /^\d{1,6}$/.test(digits) ? Number(digits) : NaN;
    if (!Number.isInteger(keep) || keep < 1 || keep > settings.keepMax) {
      errors.show([localError("keep", "out_of_range", "1", String(settings.keepMax))]);
      return;
    }
    save.mutate(keep);
  };
  return (
    <form className="backup-keep" onSubmit={submit} noValidate>
      <Field
        label={t("backup.keep")}
        help={t("backup.keepHelp", { max: formatNumber(settings.keepMax, language) })}
        error={errors.errorFor("keep")}
      >
        {(p) => <input {...p} className="input backup-keep__input" inputMode="numeric" data-field="keep" data-testid="backup-keep" value={draft} onChange={(e) => { setDraft(e.target.value); errors.clear("keep"); }} />}
      </Field>
      <Button type="submit" busy={save.isPending} data-testid="backup-keep-save">
        {t("save")}
      </Button>
    </form>
  );
}

function RestoreDialog({ target, opened, onClose }: { target: RestoreTarget; opened?: HandedBackup; onClose: () => void }) {
  const { t } = useTranslation("settings");
  const { language, calendar } = useAppSettings();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [path, setPath] = useState(target.path ?? "");
  const pick = usePickBackupFile();
  const [step, setStep] = useState<RestoreStep | null>(null);
  const special: SpecialMessage = (fe) => {
    if (fe.field === "file" && fe.code === "invalid") return t(`backup.issue.${fe.min ?? "unknown"}`, { defaultValue: t("backup.issue.unknown") });
    if (fe.field === "path" && fe.code === "invalid") return t("backup.pathInvalid");
    return null;
  };
  const errors = useFormErrors(["file", "path"], { special, forbidden: "admin" });
  const restore = useMutation({
    mutationFn: () => {
      const channel = new Channel<RestoreStep>();
      channel.onmessage = setStep;
      return unwrap(target.fileName !== null ? commands.restoreBackup(target.fileName, channel) : commands.restoreBackupFile(path, channel));
    },
    onSuccess: (result: RestoreResult) => {
      adoptSession(queryClient, result.session);
      toast.show(t("backup.restored", { name: result.safetyCopy.fileName }));
      onClose();
    },
    onError: (e) => {
      setStep(null);
      // A file that is not there (any more) is said as the file's problem, not a missing record.
      if (appErrorOf(e)?.kind === "not_found") errors.show([localError("file", "invalid", "not_found")]);
      else errors.handle(e);
    },
  });
  const fromFile = target.fileName === null;
  const title = opened
    ? t("backup.openedTitle", { name: opened.fileName })
    : fromFile
      ? t("backup.restoreFileTitle")
      : t("backup.restoreTitle", { when: formatDateTime(target.createdAt, calendar, language) });
  return (
    <FormDialog
      open
      title={title}
      onClose={() => (restore.isPending ? undefined : onClose())}
      onSubmit={() => restore.mutate()}
      busy={restore.isPending}
      errors={errors}
      saveLabel={t("backup.restore")}
      saveTestId="backup-restore-confirm"
      saveDisabled={fromFile && path.trim() === ""}
      danger
      testId={opened ? "opened-backup-dialog" : "backup-restore-dialog"}
    >
      {opened ? <p>{t("backup.openedBody")}</p> : null}
      <p className="admin-note admin-note--warning" role="note">
        {t("backup.restoreWarning")}
      </p>
      {fromFile ? (
        <div className="backup-path-field">
          <Field
            label={t("backup.path")}
            help={t("backup.pathHelp")}
            error={errors.errorFor("path") ?? errors.errorFor("file")}
          >
            {(p) => <input {...p} className="input" dir="ltr" data-field="path" data-autofocus={opened ? undefined : true} data-testid="backup-path" value={path} onChange={(e) => setPath(e.target.value)} />}
          </Field>
          <Button
            onClick={() => pick.mutate(undefined, { onSuccess: (chosen) => chosen && setPath(chosen) })}
            busy={pick.isPending}
            disabled={restore.isPending}
            data-testid="backup-path-choose"
          >
            {t("backup.pathChoose")}
          </Button>
        </div>
      ) : errors.errorFor("file") ? (
        <p className="form-alert" role="alert" data-testid="backup-file-error">
          {errors.errorFor("file")}
        </p>
      ) : null}
      {step ? (
        <ol className="backup-steps" aria-live="polite" data-testid="backup-steps">
          {RESTORE_STEPS.map((s, i) => {
            const at = RESTORE_STEPS.indexOf(step);
            const state = i < at ? "done" : i === at ? "current" : "next";
            return (
              <li key={s} className={`backup-steps__step is-${state}`} aria-current={state === "current" ? "step" : undefined}>
                {t(`backup.step.${s}`)}
              </li>
            );
          })}
        </ol>
      ) : null}
    </FormDialog>
  );
}
