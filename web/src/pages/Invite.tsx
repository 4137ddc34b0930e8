import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, errorMessage, fieldMessage } from "../lib/api";
import { homeFor, useAuth } from "../lib/auth";
import { ROLE_LABELS } from "../lib/format";
import { useDocumentTitle } from "../lib/hooks";
import { navigate } from "../lib/router";
import type { Role } from "../lib/types";
import { CairnMark, Field, Spinner } from "../components/ui";
import { DeviceLanguageSelect } from "../components/LanguagePicker";
import { useT } from "../i18n";

interface Invitee {
  name: string;
  role: Role;
  username: string;
  school?: string;
}

type InviteField = "username" | "password" | "confirm";

/** The page an invitation link opens: the secret is in the fragment (#...), never sent in a URL. */
export function InvitePage() {
  const t = useT();
  useDocumentTitle(t("invite.title"));
  const { acceptInvitation } = useAuth();
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, "")));
  const [invitee, setInvitee] = useState<Invitee | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Partial<Record<InviteField, string>>>({});
  const [formError, setFormError] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // Keep the secret out of the address bar and history once read.
    if (window.location.hash) window.history.replaceState(null, "", "/invite");
    if (!token) {
      setLookupError(t("invite.incomplete"));
      return;
    }
    api
      .post<Invitee>("/api/v1/auth/invitation", { token })
      .then((i) => {
        setInvitee(i);
        setUsername(i.username);
      })
      .catch((e) => setLookupError(errorMessage(e)));
  }, [token]);

  const roleName = invitee ? (invitee.role === "student" ? t("role.student") : invitee.role === "guardian" ? t("role.guardian") : ROLE_LABELS[invitee.role] ?? invitee.role) : "";

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Partial<Record<InviteField, string>> = {};
    if (!username.trim()) local.username = t("invite.err.username");
    if (password.length < 10) local.password = t("invite.err.short");
    else if (password !== confirm) local.confirm = t("invite.err.same");
    setErrors(local);
    setFormError("");
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const me = await acceptInvitation(token, username.trim(), password);
      navigate(homeFor(me.role), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && (err.field === "username" || err.field === "password")) setErrors({ [err.field]: fieldMessage(err) });
      else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <main className="login-main" id="main">
        <div className="login-card">
          <div className="brand">
            <CairnMark size={32} />
            <span className="brand-name">Cairn</span>
          </div>
          <h1>{t("invite.title")}</h1>
          {lookupError && (
            <div className="notice notice-error" role="alert">
              <p>{lookupError}</p>
            </div>
          )}
          {!invitee && !lookupError && <Spinner label={t("invite.checking")} />}
          {invitee && (
            <>
              <p className="muted" id="invitee">
                {invitee.school
                  ? t("invite.welcomeAt", { name: invitee.name, role: roleName, school: invitee.school })
                  : t("invite.welcome", { name: invitee.name, role: roleName })}
              </p>
              {formError && (
                <div className="notice notice-error" role="alert">
                  <p>{formError}</p>
                </div>
              )}
              <form onSubmit={submit} noValidate>
                <Field id="username" label={t("login.username")} error={errors.username}>
                  {(f) => <input {...f} name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value)} />}
                </Field>
                <Field id="password" label={t("login.password")} error={errors.password} hint={t("invite.hint")}>
                  {(f) => <input {...f} name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
                </Field>
                <Field id="confirm" label={t("invite.again")} error={errors.confirm}>
                  {(f) => <input {...f} name="confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
                </Field>
                <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
                  {busy ? t("invite.busy") : t("invite.submit")}
                </button>
              </form>
            </>
          )}
          <DeviceLanguageSelect />
        </div>
      </main>
    </div>
  );
}
