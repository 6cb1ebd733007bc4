// Setting a password: one's own (the header's menu, the "no password yet" notice)
// or, for an administrator, anyone's (Settings › Users). The new password is typed
// twice; the backend's rules (length) come back beside the field.

import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError, fieldErrorsOf } from "../../lib/api";
import { formatNumber } from "../../lib/format";
import type { UserSummary } from "../../lib/types";
import { useFieldErrors } from "../../shared/useFieldErrors";
import { PASSWORD_MIN, useSession, useSetPassword } from "./queries";
import "./session.css";

type Control = "password" | "confirm";

export type SetPasswordDialogProps = {
  /** Whose password is set. */
  user: UserSummary;
  onClose: () => void;
};

export function SetPasswordDialog({ user, onClose }: SetPasswordDialogProps) {
  const { t } = useTranslation("session");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const session = useSession().data;
  const save = useSetPassword();
  const own = session?.user?.id === user.id;
  const onServer = session?.backend === "postgres";
  // "password" is the backend's field; "confirm" only ever holds the local mismatch.
  const errors = useFieldErrors<Control>((field) => (field === "password" || field === "confirm" ? field : null));
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [alert, setAlert] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  const title = own ? (session?.needsPassword ? t("password.titleNew") : t("password.titleChange")) : t("password.titleOther", { name: user.displayName });
  const min = formatNumber(PASSWORD_MIN, language);
  const help = [onServer ? t("password.helpServer", { min }) : t("password.help", { min }), own ? null : t("password.helpOther", { name: user.displayName })]
    .filter(Boolean)
    .join(" ");
  const mismatch = errors.byField.confirm !== undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    setAlert(null);
    if (password !== confirm) {
      errors.show([{ field: "confirm", code: "invalid", min: null, max: null }]);
      confirmRef.current?.focus();
      return;
    }
    errors.reset();
    save.mutate(
      { userId: user.id, password },
      {
        onSuccess: () => {
          toast.show(own ? t("password.savedOwn") : t("password.savedOther", { name: user.displayName }));
          onClose();
        },
        onError: (err) => {
          const fields = fieldErrorsOf(err);
          if (fields.length > 0) {
            const placed = errors.show(fields);
            if (placed.byField.password) passwordRef.current?.focus();
            if (placed.unmatched.length > 0) setAlert(placed.unmatched.map(errors.describe).join(" "));
          } else if (appErrorOf(err)?.kind === "forbidden") {
            setAlert(t("password.forbidden"));
          } else {
            setAlert(describeError(err, tc));
          }
        },
      },
    );
  };

  return (
    <Dialog open onClose={onClose} title={title} variant="modal" testId="set-password" className="session-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <div className="form__scroll">
          {alert ? (
            <p className="form-alert" role="alert">
              {alert}
            </p>
          ) : null}
          <Field label={t("password.new")} help={help} error={errors.errorText("password")}>
            {(p) => (
              <input
                {...p}
                ref={passwordRef}
                type="password"
                name="new-password"
                className="input"
                dir="ltr"
                autoComplete="new-password"
                data-autofocus
                value={password}
                onChange={(e) => {
                  setPassword(e.target.value);
                  errors.clear("password");
                }}
                data-testid="set-password-new"
              />
            )}
          </Field>
          <Field label={t("password.confirm")} error={mismatch ? t("password.mismatch") : null}>
            {(p) => (
              <input
                {...p}
                ref={confirmRef}
                type="password"
                name="confirm-password"
                className="input"
                dir="ltr"
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => {
                  setConfirm(e.target.value);
                  errors.clear("confirm");
                }}
                data-testid="set-password-confirm"
              />
            )}
          </Field>
        </div>
        <div className="form__footer">
          <Button type="submit" variant="primary" busy={save.isPending} data-testid="set-password-save">
            {save.isPending ? tc("actions.saving") : t("password.save")}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            {tc("actions.cancel")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

