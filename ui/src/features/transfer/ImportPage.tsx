import { useCallback, useEffect, useEffectEvent, useRef, useState, type ChangeEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { useAppSettings } from "../../app/settings";
import { handedImport } from "../../app/desktop/handoff";
import { paths } from "../../app/router";
import { commands, describeError, unwrap } from "../../lib/api";
import { formatNumber, toLocalDigits } from "../../lib/format";
import type { DateFormat, FileValue, ImportField, ImportKind, ImportOptions, ImportReport, ImportValues, StagedImport } from "../../lib/types";
import { useSystemItems, useStages } from "../../shared/lookups";
import { ExportButton } from "./ExportButton";
import { MappingStep, type DefaultChoice, type DefaultKey } from "./MappingStep";
import { ValuesStep } from "./ValuesStep";
import { ProgressBar } from "./ProgressBar";
import { ReportView } from "./ReportView";
import {
  carryChoices,
  choicesFromMapping,
  decisionsFromChoices,
  defaultDecision,
  describeFileProblem,
  IMPORT_KINDS,
  fileProblemOf,
  mappingFromChoices,
  readFileAsBase64,
  sizeParts,
  valueChoices,
  valueKey,
  type MappingChoice,
  type ValueDecision,
} from "./logic";
import { useTransferJob } from "./useTransferJob";
import "./transfer.css";

type Step = "file" | "mapping" | "values" | "report" | "done";
const STEPS: readonly Step[] = ["file", "mapping", "values", "report", "done"];
const STEP_LABEL: Record<Step, "steps.file" | "steps.mapping" | "steps.values" | "steps.check" | "steps.import"> = {
  file: "steps.file",
  mapping: "steps.mapping",
  values: "steps.values",
  report: "steps.check",
  done: "steps.import",
};

type Picked = { name: string; size: number };

const DONE: Record<ImportKind, "result.done" | "result.doneIdentities" | "result.doneProducts" | "result.doneUsers"> = {
  opportunities: "result.done",
  identities: "result.doneIdentities",
  products: "result.doneProducts",
  users: "result.doneUsers",
};

/** Where the user goes once the rows are in. */
const AFTER: Record<ImportKind, { href: string; label: "result.toList" | "result.toIdentities" | "result.toProducts" | "result.toUsers" }> = {
  opportunities: { href: paths.section("opportunities"), label: "result.toList" },
  identities: { href: paths.identities(), label: "result.toIdentities" },
  products: { href: paths.products(), label: "result.toProducts" },
  users: { href: paths.settings("users"), label: "result.toUsers" },
};

/** The import screen (#/opportunities/import): file → columns → values → check → import. */
export function ImportPage() {
  const { t } = useTranslation("transfer");
  const { t: tc } = useTranslation();
  const { language } = useAppSettings();
  const num = useCallback((n: number) => formatNumber(n, language), [language]);
  const queryClient = useQueryClient();
  const job = useTransferJob();

  const [step, setStep] = useState<Step>("file");
  const [kind, setKind] = useState<ImportKind>("opportunities");
  const [picked, setPicked] = useState<Picked | null>(null);
  const [reading, setReading] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [staged, setStaged] = useState<StagedImport | null>(null);
  const [choices, setChoices] = useState<MappingChoice>([]);
  const [createIdentities, setCreateIdentities] = useState(false);
  const [createProducts, setCreateProducts] = useState(false);
  const [createUsers, setCreateUsers] = useState(false);
  const [dateFormat, setDateFormat] = useState<DateFormat>("auto");
  const [defaults, setDefaults] = useState<Record<DefaultKey, DefaultChoice>>({ type: "first", source: "first", stage: "first", winReason: null, lossReason: null });
  const [values, setValues] = useState<ImportValues | null>(null);
  const [valuesLoading, setValuesLoading] = useState(false);
  const [valuesError, setValuesError] = useState<string | null>(null);
  const [decisions, setDecisions] = useState<Record<string, ValueDecision>>({});
  const [placeholder, setPlaceholder] = useState<{ id: number; name: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [dryRunning, setDryRunning] = useState(true);

  const types = useSystemItems("opportunity_type");
  const sources = useSystemItems("source");
  const stages = useStages(false);
  const winReasons = useSystemItems("win_reason");
  const lossReasons = useSystemItems("loss_reason");

  const fileInput = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const token = useRef<number | null>(null);

  // The staged file is forgotten when the screen is left.
  useEffect(
    () => () => {
      if (token.current !== null) void commands.importDiscard(token.current).catch(() => undefined);
    },
    [],
  );

  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  const resolveDefault = (choice: DefaultChoice, first: number | null): number | null => (choice === "first" ? first : choice);
  const creating = { createMissingIdentities: createIdentities, createMissingProducts: createProducts, createMissingUsers: createUsers };
  const decisionOf = (v: FileValue): ValueDecision => decisions[valueKey(v)] ?? defaultDecision(v, creating);
  const options: ImportOptions = {
    ...creating,
    defaultTypeId: resolveDefault(defaults.type, types.data?.[0]?.id ?? null),
    defaultSourceId: resolveDefault(defaults.source, sources.data?.[0]?.id ?? null),
    defaultStageId: resolveDefault(defaults.stage, stages.data?.[0]?.id ?? null),
    defaultWinReasonId: resolveDefault(defaults.winReason, winReasons.data?.[0]?.id ?? null),
    defaultLossReasonId: resolveDefault(defaults.lossReason, lossReasons.data?.[0]?.id ?? null),
    placeholderIdentityId: placeholder?.id ?? null,
    dateFormat,
    values: values && kind === "opportunities" ? valueChoices(values.values, decisions, creating, placeholder?.id ?? null) : [],
    kind,
  };

  /** The options of the user's last good import, for a first file. */
  const applyRemembered = (remembered: ImportOptions) => {
    setCreateIdentities(remembered.createMissingIdentities);
    setCreateProducts(remembered.createMissingProducts);
    setCreateUsers(remembered.createMissingUsers);
    setDefaults({
      type: remembered.defaultTypeId,
      source: remembered.defaultSourceId,
      stage: remembered.defaultStageId,
      winReason: remembered.defaultWinReasonId,
      lossReason: remembered.defaultLossReasonId,
    });
    const id = remembered.placeholderIdentityId;
    if (id !== null) {
      void unwrap(commands.getIdentity(id))
        .then((identity) => setPlaceholder({ id, name: identity.displayName }))
        .catch(() => setPlaceholder(null));
    }
  };

  /**
   * A file was read: on to its columns (a corrected copy keeps the choices made for
   * the `previous` one; a first file takes the options of the last good import).
   */
  const accept = (next: StagedImport, previous: StagedImport | null = staged, forKind: ImportKind = kind) => {
    token.current = next.token;
    setPicked({ name: next.fileName, size: next.size });
    setStaged(next);
    const suggested = choicesFromMapping(next.preview.headers, next.preview.mapping);
    setChoices(previous ? carryChoices(previous.preview.headers, choices, next.preview.headers, suggested) : suggested);
    if (!previous && next.preview.options && forKind === "opportunities") applyRemembered(next.preview.options);
    setDateFormat(next.preview.dateFormat === "auto" && !previous && next.preview.options ? next.preview.options.dateFormat : next.preview.dateFormat);
    setValues(null);
    setStep("mapping");
  };

  const beforeRead = () => {
    setFileError(null);
    setMessage(null);
    setReport(null);
    setResult(null);
    setReading(true);
    if (token.current !== null) {
      void commands.importDiscard(token.current).catch(() => undefined);
      token.current = null;
    }
  };

  const readFailed = (error: unknown) => {
    const problem = fileProblemOf(error);
    setStaged(null);
    setFileError(problem ? describeFileProblem(problem, t, num) : error instanceof DOMException || error instanceof Error ? describeErrorOrRead(error) : t("fileErrors.other"));
    setStep("file");
  };

  // A file handed over by the system ("Open with", app/desktop) is taken as if it had
  // been picked here: a new file of opportunities (the backend staged it as one). One
  // handed over while a file is read or rows are written waits until that is done.
  const busy = reading || job.running;
  const takeHanded = useEffectEvent(() => {
    const next = handedImport.take();
    if (!next) return;
    beforeRead();
    setReading(false);
    setKind("opportunities");
    setValues(null);
    setDecisions({});
    accept(next, null, "opportunities");
  });
  useEffect(() => {
    if (busy) return;
    let live = true;
    const take = () => {
      if (live && handedImport.peek()) takeHanded();
    };
    const stop = handedImport.subscribe(take);
    // One waiting already (handed over before this screen opened): right after this render.
    if (handedImport.peek()) void Promise.resolve().then(take);
    return () => {
      live = false;
      stop();
    };
  }, [busy]);

  /** The system's file dialog; the file is read from its path by the app. */
  const pickNative = async () => {
    try {
      setFileError(null);
      const next = await unwrap(commands.importPick(kind));
      if (!next) return;
      beforeRead();
      accept(next);
    } catch (error) {
      readFailed(error);
    } finally {
      setReading(false);
    }
  };

  /** A file dropped on the window or chosen in the box. */
  const readFile = async (file: File) => {
    setPicked({ name: file.name, size: file.size });
    beforeRead();
    try {
      const content = await readFileAsBase64(file);
      accept(await unwrap(commands.importPreview(kind, file.name, content)));
    } catch (error) {
      readFailed(error);
    } finally {
      setReading(false);
    }
  };

  const toValues = async () => {
    if (!staged) return;
    setStep("values");
    setValuesLoading(true);
    setValuesError(null);
    try {
      const next = await unwrap(commands.importValues(staged.token, mappingFromChoices(staged.preview.headers, choices)));
      setValues(next);
      const remembered = staged.preview.options?.values ?? [];
      setDecisions((d) => ({ ...decisionsFromChoices(next.values, remembered, staged.preview.options?.placeholderIdentityId ?? null), ...d }));
    } catch (error) {
      setValuesError(describeError(error, tc));
    } finally {
      setValuesLoading(false);
    }
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    await readFile(file);
    // The same (fixed) file can be picked again.
    input.value = "";
  };

  function describeErrorOrRead(error: Error): string {
    return error.name === "AppErrorException" || error.name === "BackendUnavailableError" ? describeError(error, tc) : t("fileErrors.notReadable");
  }

  const run = async (dryRun: boolean) => {
    if (!staged) return;
    setMessage(null);
    setDryRunning(dryRun);
    const mapping = mappingFromChoices(staged.preview.headers, choices);
    try {
      const answer = await job.start((id, channel) => unwrap(commands.importRun(staged.token, mapping, options, dryRun, id, channel)));
      if (answer.cancelled) {
        setMessage(dryRun ? t("run.cancelledCheck") : t("run.cancelledImport"));
        return;
      }
      if (dryRun) {
        setReport(answer);
        setStep("report");
        return;
      }
      if (answer.written) {
        token.current = null;
        setResult(answer);
        setStep("done");
        void queryClient.invalidateQueries();
        return;
      }
      // The data changed since the check: show what stopped the import.
      setReport(answer);
      setMessage(t("result.notWritten", { n: num(answer.rows - answer.goodRows) }));
    } catch (error) {
      setMessage(describeError(error, tc));
    }
  };

  const pickFile = () => void pickNative();

  const restart = () => {
    setStep("file");
    setPicked(null);
    setStaged(null);
    setReport(null);
    setResult(null);
    setMessage(null);
    setValues(null);
    setDecisions({});
  };

  const setChoice = (index: number, field: ImportField | null) => {
    setChoices((list) => list.map((f, i) => (i === index ? field : f)));
  };

  // Only opportunities have a values step.
  const steps = kind === "opportunities" ? STEPS : STEPS.filter((s) => s !== "values");
  const stepIndex = steps.indexOf(step);
  const size = picked ? sizeParts(picked.size) : null;

  return (
    <div className="page transfer" data-testid="import-page">
      <header className="page__header">
        <div>
          <h1 className="page__title">{t("page.title")}</h1>
          <p className="page__subtitle">{t("page.subtitle")}</p>
        </div>
        <div className="transfer__header-actions">
          <a className="btn btn--ghost btn--sm" href={paths.section("opportunities")}>
            {t("page.toList")}
          </a>
          <ExportButton filter={{}} sort={[]} columns={[]} label={t("page.exportAll")} />
        </div>
      </header>

      <ol className="transfer-steps" aria-label={t("steps.label")}>
        {steps.map((s, i) => (
          <li key={s} className={i === stepIndex ? "transfer-steps__step is-current" : i < stepIndex ? "transfer-steps__step is-done" : "transfer-steps__step"} aria-current={i === stepIndex ? "step" : undefined}>
            <span className="transfer-steps__number" aria-hidden="true">
              {toLocalDigits(String(i + 1), language)}
            </span>
            {t(STEP_LABEL[s])}
          </li>
        ))}
      </ol>

      <div className="page__body transfer__body">
        <section className="card transfer-card" aria-labelledby="import-file-title">
          <h2 className="transfer-card__title" id="import-file-title" ref={step === "file" ? heading : undefined} tabIndex={-1}>
            {t("file.title")}
          </h2>
          {step === "file" ? <p className="muted">{t("file.intro")}</p> : null}
          <div className="field transfer-kind">
            <label className="field__label" htmlFor="import-kind">
              {t("kind.label")}
            </label>
            <select
              id="import-kind"
              className="input"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as ImportKind);
                restart();
              }}
              disabled={reading || job.running}
              data-testid="import-kind"
            >
              {IMPORT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
            {kind !== "opportunities" ? <p className="field__help">{t("kind.help")}</p> : null}
          </div>
          <div className="transfer-file">
            <Button variant={picked ? "secondary" : "primary"} onClick={pickFile} disabled={reading || job.running} data-testid="import-pick">
              {picked ? t("file.chooseOther") : t("file.choose")}
            </Button>
            <span className="transfer-file__name" data-testid="import-file-name">
              {reading ? (
                t("file.reading")
              ) : picked && size ? (
                <>
                  <bdi className="transfer-file__file">{picked.name}</bdi>
                  {" · "}
                  {staged
                    ? t("file.picked", { size: t(`size.${size.unit}`, { n: num(size.value) }), rows: num(staged.preview.rowCount) })
                    : t(`size.${size.unit}`, { n: num(size.value) })}
                </>
              ) : (
                t("file.none")
              )}
            </span>
          </div>
          <label
            className={[dragging ? "transfer-drop is-dragging" : "transfer-drop", step === "file" ? "" : "is-compact"].join(" ").trim()}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault();
              setDragging(false);
              const file = e.dataTransfer.files[0];
              if (file && !reading && !job.running) void readFile(file);
            }}
          >
            <input
              ref={fileInput}
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              className="file-pick__input"
              aria-label={t("file.input")}
              onChange={(e) => void onFile(e)}
              disabled={reading || job.running}
              data-testid="import-file"
            />
            {t("file.dropHere")}
          </label>
          {fileError ? (
            <div className="form-alert transfer-alert" role="alert" data-testid="import-file-error">
              <strong>{t("file.errorTitle")}</strong>
              <p>{fileError}</p>
            </div>
          ) : null}
          {step === "file" && staged ? (
            <div className="transfer-actions">
              <Button variant="primary" onClick={() => setStep("mapping")}>
                {t("file.continue")}
              </Button>
            </div>
          ) : null}
        </section>

        {staged && step === "mapping" ? (
          <MappingStep
            headingRef={heading}
            kind={kind}
            preview={staged.preview}
            choices={choices}
            onChoice={setChoice}
            createIdentities={createIdentities}
            onCreateIdentities={setCreateIdentities}
            createProducts={createProducts}
            onCreateProducts={setCreateProducts}
            createUsers={createUsers}
            onCreateUsers={setCreateUsers}
            dateFormat={dateFormat}
            detectedDateFormat={staged.preview.dateFormat}
            onDateFormat={setDateFormat}
            defaults={defaults}
            onDefault={(key, value) => setDefaults((d) => ({ ...d, [key]: value }))}
            options={options}
            types={types.data ?? []}
            sources={sources.data ?? []}
            stages={stages.data ?? []}
            winReasons={winReasons.data ?? []}
            lossReasons={lossReasons.data ?? []}
            busy={job.running}
            onBack={() => setStep("file")}
            onNext={() => void toValues()}
            onCheck={() => void run(true)}
          />
        ) : null}

        {staged && step === "values" ? (
          <ValuesStep
            headingRef={heading}
            values={values}
            loading={valuesLoading}
            error={valuesError}
            decisionOf={decisionOf}
            onDecision={(list, decision) =>
              setDecisions((d) => {
                const next = { ...d };
                for (const v of list) next[valueKey(v)] = decision;
                return next;
              })
            }
            placeholder={placeholder}
            onPlaceholder={setPlaceholder}
            busy={job.running}
            onBack={() => setStep("mapping")}
            onCheck={() => void run(true)}
          />
        ) : null}

        {job.running ? (
          <ProgressBar label={dryRunning ? t("run.checking") : t("run.importing")} progress={job.progress} onCancel={job.cancel} cancelling={job.cancelling} testId="import-progress" />
        ) : null}

        {message ? (
          <p className="notice transfer-message" role="status" data-testid="import-message">
            {message}
          </p>
        ) : null}

        {staged && report && step === "report" ? (
          <ReportView
            headingRef={heading}
            report={report}
            kind={kind}
            busy={job.running}
            onChangeMapping={() => {
              setReport(null);
              setStep(kind === "opportunities" ? "values" : "mapping");
            }}
            onPickFile={pickFile}
            onCheckAgain={() => void run(true)}
            onImport={() => void run(false)}
          />
        ) : null}

        {result && step === "done" ? (
          <section className="card transfer-card transfer-done" aria-labelledby="import-done-title" data-testid="import-result">
            <h2 className="transfer-card__title" id="import-done-title" ref={heading} tabIndex={-1}>
              {t(DONE[kind], { count: result.goodRows, n: num(result.goodRows) })}
            </h2>
            {kind === "users" ? <p className="muted">{t("result.usersInactive")}</p> : null}
            {kind === "opportunities" && (result.createdIdentities > 0 || result.createdProducts > 0) ? (
              <p className="muted">{t("result.created", { identities: num(result.createdIdentities), products: num(result.createdProducts) })}</p>
            ) : null}
            {result.createdUsers > 0 || result.createdValues > 0 ? (
              <p className="muted" data-testid="import-created-more">
                {t("result.createdMore", { users: num(result.createdUsers), values: num(result.createdValues) })}
              </p>
            ) : null}
            <div className="transfer-actions">
              <a className="btn btn--primary btn--md" href={AFTER[kind].href} data-testid="import-to-list">
                {t(AFTER[kind].label)}
              </a>
              <Button onClick={restart}>{t("result.another")}</Button>
            </div>
          </section>
        ) : null}
      </div>
    </div>
  );
}
