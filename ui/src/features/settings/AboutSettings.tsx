// Settings › About and updates: the version, where the data and the log files are
// (each opens in the file manager), and the updates. A check only looks; "Download"
// fetches the update and has it checked against its signature; only then is it
// offered for installing, and installing restarts the app into it. Update checks can
// be turned off for the office (administrators) or on this computer (FORSAT_UPDATES).

import { useEffect, useEffectEvent, useId, useRef, useState } from "react";
import { Channel } from "@tauri-apps/api/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useAppSettings, useSaveSettings, useSettingsQuery } from "../../app/settings";
import { Button } from "../../components/Button";
import { Checkbox } from "../../components/Field";
import { Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { appErrorOf, commands, describeError, unwrap } from "../../lib/api";
import { formatDate, formatNumber, toLocalDigits } from "../../lib/format";
import type { AppSettings, DesktopInfo, Folder, SettingsPatch, UpdateStep } from "../../lib/types";
import { useAppInfo, useDesktopInfo } from "../../shared/lookups";
import { useSession } from "../session/queries";
import { sizeParts } from "./BackupSettings";
import "./about.css";

export type AboutSettingsProps = {
  /** The address asked for a check (the menu's "Check for updates…"). */
  checkRequested: boolean;
  /** Called once the asked-for check was taken (the address forgets it). */
  onCheckTaken: () => void;
};

export function AboutSettings({ checkRequested, onCheckTaken }: AboutSettingsProps) {
  const { t } = useTranslation("settings");
  const { t: tc } = useTranslation("common");
  const info = useDesktopInfo();
  const appInfo = useAppInfo();
  // Same query as the SettingsProvider's; the update options below edit what it holds.
  const settings = useSettingsQuery();

  return (
    <section className="admin-section about-page" aria-labelledby="about-title" data-testid="about-section">
      <header className="admin-section__header">
        <div>
          <h2 className="admin-section__title" id="about-title">
            {t("about.title")}
          </h2>
          <p className="page__subtitle">{t("about.description")}</p>
        </div>
      </header>
      {info.isPending ? (
        <Loading />
      ) : (
        <div className="card settings">
          <div className="about-row">
            <div className="about-row__text">
              <span className="field__label">{t("about.version")}</span>
              <VersionValue version={info.data?.version ?? appInfo.data?.version ?? null} />
            </div>
          </div>
          {info.data ? (
            <>
              <FolderRow folder="data" path={info.data.dataDir} />
              <FolderRow folder="logs" path={info.data.logDir} />
            </>
          ) : (
            <p className="form-alert" role="alert" data-testid="about-error">
              {t("about.loadError")} {describeError(info.error, tc)}
            </p>
          )}
        </div>
      )}
      <UpdatesCard info={info.data ?? null} settings={settings.data ?? null} ready={info.isFetched && settings.isFetched} checkRequested={checkRequested} onCheckTaken={onCheckTaken} />
    </section>
  );
}

function VersionValue({ version }: { version: string | null }) {
  const { t } = useTranslation("settings");
  const { language } = useAppSettings();
  return (
    <span className="about-row__value" data-testid="about-version">
      {version ? t("about.versionValue", { version: toLocalDigits(version, language) }) : "—"}
    </span>
  );
}

const FOLDER_TEXT = {
  data: { label: "about.dataDir", help: "about.dataDirHelp", open: "about.openData", testId: "desktop-data-dir", button: "open-data-folder" },
  logs: { label: "about.logDir", help: "about.logDirHelp", open: "about.openLogs", testId: "desktop-log-dir", button: "open-log-folder" },
} as const;

/** A folder's path (left-to-right, as the file manager shows it) and its "Open" button. */
function FolderRow({ folder, path }: { folder: Folder; path: string }) {
  const { t } = useTranslation("settings");
  const { t: tc } = useTranslation("common");
  const toast = useToast();
  const labelId = useId();
  const text = FOLDER_TEXT[folder];
  const open = useMutation({
    mutationFn: () => unwrap(commands.openFolder(folder)),
    onError: (error) => toast.show(describeError(error, tc), "error"),
  });
  return (
    <div className="about-row">
      <div className="about-row__text">
        <span className="field__label" id={labelId}>
          {t(text.label)}
        </span>
        <bdi dir="ltr" className="backup-path" data-testid={text.testId}>
          {path || "—"}
        </bdi>
        <p className="field__help">{t(text.help)}</p>
      </div>
      <Button size="sm" onClick={() => open.mutate()} busy={open.isPending} aria-label={t(text.open)} data-testid={text.button}>
        {t("about.open")}
      </Button>
    </div>
  );
}

type UpdatesCardProps = {
  info: DesktopInfo | null;
  settings: AppSettings | null;
  /** Both have answered (or failed): an asked-for check can be decided on. */
  ready: boolean;
  checkRequested: boolean;
  onCheckTaken: () => void;
};

function UpdatesCard({ info, settings, ready, checkRequested, onCheckTaken }: UpdatesCardProps) {
  const { t } = useTranslation("settings");
  const { t: tc } = useTranslation("common");
  const { language, calendar } = useAppSettings();
  const isAdmin = useSession().data?.user?.role === "admin";
  const offHere = info?.updatesOffHere ?? false;
  const turnedOff = offHere || settings?.updatesAllowed === false;
  const [progress, setProgress] = useState<{ received: number; total: number | null } | null>(null);

  const install = useMutation({
    mutationFn: async () => {
      await unwrap(commands.installUpdate());
      await unwrap(commands.restartApp());
    },
  });
  const download = useMutation({
    mutationFn: () => {
      const channel = new Channel<UpdateStep>();
      channel.onmessage = (step) => {
        if (step.step === "downloading") setProgress({ received: step.received, total: step.total ?? null });
      };
      return unwrap(commands.downloadUpdate(channel));
    },
    onMutate: () => {
      install.reset();
      setProgress(null);
    },
  });
  const check = useMutation({
    mutationFn: () => unwrap(commands.checkForUpdate()),
    onMutate: () => {
      download.reset();
      install.reset();
      setProgress(null);
    },
  });
  const { mutate: startCheck } = check;

  // "Check for updates…" from the menu: once the facts are in, the check starts by itself.
  const taken = useRef(false);
  const takeCheck = useEffectEvent(() => {
    onCheckTaken();
    if (!turnedOff) startCheck();
  });
  useEffect(() => {
    if (!checkRequested) {
      taken.current = false;
      return;
    }
    if (!ready || taken.current) return;
    taken.current = true;
    takeCheck();
  }, [checkRequested, ready]);

  const found = check.data ?? null;
  const available = found?.available ?? null;
  const failed = install.error ?? download.error ?? check.error;
  const errorText = failed ? (appErrorOf(failed)?.kind === "not_found" ? t("about.updates.checkAgain") : describeError(failed, tc)) : null;
  const version = (v: string) => toLocalDigits(v, language);
  const size = (bytes: number) => {
    const { value, unit } = sizeParts(bytes);
    return t(`backup.size.${unit}`, { value: formatNumber(value, language) });
  };

  let status = "";
  if (check.isPending) status = t("about.updates.checking");
  else if (found) status = available ? t("about.updates.available", { version: version(available.version) }) : t("about.updates.newest", { version: version(found.currentVersion) });

  return (
    <section className="card settings" aria-labelledby="about-updates-title" data-testid="about-updates">
      <div className="settings__row">
        <h3 className="form__section-title" id="about-updates-title">
          {t("about.updates.title")}
        </h3>
        <p className="field__help">{t("about.updates.help")}</p>
      </div>
      {turnedOff ? (
        <p className="admin-note admin-note--warning" role="note" data-testid="update-off">
          {offHere ? t("about.updates.offHere") : t("about.updates.off")}
        </p>
      ) : null}
      <div className="about-update">
        <div className="about-update__actions">
          <Button variant={available ? "secondary" : "primary"} onClick={() => startCheck()} disabled={turnedOff || download.isPending || install.isPending} busy={check.isPending} data-testid="update-check">
            {t("about.updates.check")}
          </Button>
        </div>
        <p className="about-update__status" aria-live="polite" data-testid="update-status">
          {status}
        </p>
        {available && !check.isPending ? (
          <>
            {available.date ? <p className="about-update__date">{t("about.updates.published", { date: formatDate(available.date, calendar, language) })}</p> : null}
            {available.notes ? (
              <div className="settings__row">
                <span className="field__label">{t("about.updates.notes")}</span>
                <p className="about-update__notes" dir="auto" data-testid="update-notes">
                  {available.notes}
                </p>
              </div>
            ) : null}
            {download.isSuccess ? (
              <div className="about-update__ready" data-testid="update-ready">
                <p>{t("about.updates.ready")}</p>
                <Button variant="primary" onClick={() => install.mutate()} busy={install.isPending} data-testid="update-install">
                  {t("about.updates.install")}
                </Button>
              </div>
            ) : (
              <div className="about-update__actions">
                <Button variant="primary" onClick={() => download.mutate()} busy={download.isPending} disabled={turnedOff} data-testid="update-download">
                  {t("about.updates.download")}
                </Button>
              </div>
            )}
            {download.isPending ? (
              <div className="about-update__progress" data-testid="update-progress">
                <span>
                  {t("about.updates.downloading")}
                  {progress ? ` ${progress.total ? t("about.updates.progress", { received: size(progress.received), total: size(progress.total) }) : size(progress.received)}` : ""}
                </span>
                <progress
                  className="about-update__bar"
                  aria-label={t("about.updates.downloading")}
                  max={progress?.total ?? undefined}
                  value={progress?.total ? Math.min(progress.received, progress.total) : undefined}
                />
              </div>
            ) : null}
          </>
        ) : null}
        {errorText ? (
          <p className="form-alert" role="alert" data-testid="update-error">
            {errorText}
          </p>
        ) : null}
      </div>
      {settings ? <UpdateOptions settings={settings} isAdmin={isAdmin} /> : null}
    </section>
  );
}

/** The user's "check after signing in", and the administrator's "allow update checks in this office". */
function UpdateOptions({ settings, isAdmin }: { settings: AppSettings; isAdmin: boolean }) {
  const { t } = useTranslation("settings");
  const { t: tc } = useTranslation("common");
  const toast = useToast();
  const atStartHelp = useId();
  const allowedHelp = useId();
  const saveSettings = useSaveSettings();
  const save = {
    isPending: saveSettings.isPending,
    variables: saveSettings.variables,
    mutate: (patch: SettingsPatch) =>
      saveSettings.mutate(patch, {
        onSuccess: () => toast.show(t("about.updates.saved")),
        onError: (error: unknown) => toast.show(describeError(error, tc), "error"),
      }),
  };
  // What is being saved shows at once; a refusal puts the saved value back.
  const pending = save.isPending ? save.variables : undefined;
  const atStart = pending?.checkUpdatesAtStart ?? settings.checkUpdatesAtStart;
  const allowed = pending?.updatesAllowed ?? settings.updatesAllowed;
  return (
    <div className="about-options">
      <Checkbox label={t("about.updates.atStart")} checked={atStart} onChange={(on) => save.mutate({ checkUpdatesAtStart: on })} disabled={save.isPending} describedBy={atStartHelp} testId="update-check-at-start" />
      <p className="field__help" id={atStartHelp}>
        {t("about.updates.atStartHelp")}
      </p>
      {isAdmin ? (
        <>
          <Checkbox label={t("about.updates.allowed")} checked={allowed} onChange={(on) => save.mutate({ updatesAllowed: on })} disabled={save.isPending} describedBy={allowedHelp} testId="updates-allowed" />
          <p className="field__help" id={allowedHelp}>
            {t("about.updates.allowedHelp")}
          </p>
        </>
      ) : null}
    </div>
  );
}
