import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, errorMessage, fieldMessage } from "../lib/api";
import { homeFor, useAuth } from "../lib/auth";
import { ROLE_LABELS } from "../lib/format";
import { useDocumentTitle } from "../lib/hooks";
import { navigate } from "../lib/router";
import type { Role } from "../lib/types";
import { CairnMark, Field, Spinner } from "../components/ui";

interface Invitee {
  name: string;
  role: Role;
  username: string;
  school?: string;
}

type InviteField = "username" | "password" | "confirm";

/** The page an invitation link opens: the secret is in the fragment (#...), never sent in a URL. */
export function InvitePage() {
  useDocumentTitle("Set up your sign-in");
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
      setLookupError("This link is incomplete. Open the whole link from your invitation, or ask your school for a new one.");
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

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Partial<Record<InviteField, string>> = {};
    if (!username.trim()) local.username = "Choose a username.";
    if (password.length < 10) local.password = "Use at least 10 characters.";
    else if (password !== confirm) local.confirm = "The two passwords are not the same.";
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
          <h1>Set up your sign-in</h1>
          {lookupError && (
            <div className="notice notice-error" role="alert">
              <p>{lookupError}</p>
            </div>
          )}
          {!invitee && !lookupError && <Spinner label="Checking your invitation…" />}
          {invitee && (
            <>
              <p className="muted" id="invitee">
                Welcome, {invitee.name}. You are invited as {ROLE_LABELS[invitee.role] ?? invitee.role}
                {invitee.school ? ` at ${invitee.school}` : ""}. Choose the username and password you will sign in with.
              </p>
              {formError && (
                <div className="notice notice-error" role="alert">
                  <p>{formError}</p>
                </div>
              )}
              <form onSubmit={submit} noValidate>
                <Field id="username" label="Username" error={errors.username}>
                  {(f) => <input {...f} name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value)} />}
                </Field>
                <Field id="password" label="Password" error={errors.password} hint="At least 10 characters.">
                  {(f) => <input {...f} name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
                </Field>
                <Field id="confirm" label="Password again" error={errors.confirm}>
                  {(f) => <input {...f} name="confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
                </Field>
                <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
                  {busy ? "Setting up…" : "Create my sign-in"}
                </button>
              </form>
            </>
          )}
        </div>
      </main>
    </div>
  );
}
