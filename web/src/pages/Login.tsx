import { useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../lib/api";
import { homeFor, useAuth } from "../lib/auth";
import { useDocumentTitle } from "../lib/hooks";
import { navigate, useLocation } from "../lib/router";
import { CairnMark, Field } from "../components/ui";
import { useT } from "../i18n";
import { DeviceLanguageSelect } from "../components/LanguagePicker";

export function LoginPage() {
  const t = useT();
  useDocumentTitle(t("login.title"));
  const { signIn, expired } = useAuth();
  const { search } = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<{ message: string; throttled: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError({ message: t("login.missing"), throttled: false });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await signIn(username.trim(), password);
      const next = search.get("next");
      navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : homeFor(me.role), { replace: true });
    } catch (err) {
      const throttled = err instanceof ApiError && err.status === 429;
      setError({ message: errorMessage(err), throttled });
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <aside className="login-art" aria-hidden="true">
        <div className="login-art-inner">
          <div className="brand brand-light">
            <CairnMark size={36} />
            <span className="brand-name">Cairn</span>
          </div>
          <p className="login-tagline">{t("login.tagline")}</p>
          <svg className="login-hills" viewBox="0 0 400 160" preserveAspectRatio="none">
            <path d="M0 120 C80 80 140 110 200 90 C260 70 320 100 400 70 L400 160 L0 160 Z" fill="rgba(255,255,255,0.08)" />
            <path d="M0 140 C90 110 170 135 240 115 C300 100 350 120 400 105 L400 160 L0 160 Z" fill="rgba(255,255,255,0.12)" />
          </svg>
        </div>
      </aside>
      <main className="login-main" id="main">
        <div className="login-card">
          <div className="brand login-brand-mobile">
            <CairnMark size={32} />
            <span className="brand-name">Cairn</span>
          </div>
          <h1>{t("login.title")}</h1>
          <p className="muted">{t("login.intro")}</p>
          {expired && !error && (
            <div className="notice notice-info" role="status">
              {t("login.expired")}
            </div>
          )}
          {error && (
            <div className={`notice ${error.throttled ? "notice-warn" : "notice-error"}`} role="alert" id="login-error">
              {error.throttled && <strong>{t("login.paused")}</strong>}
              <p>{error.message}</p>
            </div>
          )}
          <form onSubmit={submit} noValidate>
            <Field id="username" label={t("login.username")}>
              {(f) => (
                <input
                  {...f}
                  name="username"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                  aria-describedby={error ? "login-error" : undefined}
                  required
                />
              )}
            </Field>
            <Field id="password" label={t("login.password")}>
              {(f) => (
                <input
                  {...f}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  aria-describedby={error ? "login-error" : undefined}
                  required
                />
              )}
            </Field>
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              {busy ? t("login.busy") : t("login.submit")}
            </button>
          </form>
          <DeviceLanguageSelect />
        </div>
      </main>
    </div>
  );
}
