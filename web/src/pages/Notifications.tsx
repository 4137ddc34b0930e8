import { useState } from "react";
import { api, errorMessage } from "../lib/api";
import { formatDate } from "../lib/format";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { Link } from "../lib/router";
import { NOTIFICATIONS_READ } from "../components/Shell";
import { ErrorNotice, LiveMessage, PageHeader, Spinner } from "../components/ui";
import { useI18n, useT } from "../i18n";

export interface FeedItem {
  id: number;
  kind: "badge_earned" | "feedback" | "revision_requested";
  title: string;
  text: string;
  link: string;
  created_at: string;
  read: boolean;
}

export interface Feed {
  unread: number;
  notifications: FeedItem[];
}

type EmailMode = "immediate" | "digest" | "off";

/**
 * What Cairn told the signed-in person (badges earned, feedback, revisions
 * asked for), written by the server in their language, and how they want
 * to hear about it by email.
 */
export function NotificationsPage() {
  const t = useT();
  useDocumentTitle(t("notify.title"));
  const { preferences } = useI18n();
  const feed = useApi<Feed>("/api/v1/me/notifications");
  const prefs = useApi<{ email: EmailMode }>("/api/v1/me/preferences");
  const [email, setEmail] = useState<EmailMode | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = email ?? prefs.data?.email ?? preferences?.email ?? "immediate";

  async function choose(mode: EmailMode) {
    setError(null);
    try {
      const saved = await api.put<{ email: EmailMode }>("/api/v1/me/preferences", { email: mode });
      setEmail(saved.email);
      setMessage(t("notify.saved"));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function markRead() {
    const newest = feed.data?.notifications[0];
    if (!newest) return;
    try {
      await api.post("/api/v1/me/notifications/read", { up_to: newest.id });
      window.dispatchEvent(new Event(NOTIFICATIONS_READ));
      void feed.reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const items = feed.data?.notifications ?? [];
  return (
    <>
      <PageHeader title={t("notify.title")} />
      {message && <LiveMessage message={message} onDismiss={() => setMessage(null)} />}
      {error && <LiveMessage tone="error" message={error} onDismiss={() => setError(null)} />}
      <section className="card" aria-labelledby="email-title">
        <h2 id="email-title" className="section-title inline">
          {t("notify.emailTitle")}
        </h2>
        <fieldset className="radio-list">
          <legend className="sr-only">{t("notify.emailTitle")}</legend>
          {(["immediate", "digest", "off"] as const).map((mode) => (
            <label key={mode}>
              <input type="radio" name="email" value={mode} checked={current === mode} onChange={() => choose(mode)} />{" "}
              {t(mode === "immediate" ? "notify.immediate" : mode === "digest" ? "notify.digest" : "notify.off")}
            </label>
          ))}
        </fieldset>
      </section>
      <section className="card" aria-labelledby="feed-title">
        <div className="card-head">
          <h2 id="feed-title" className="section-title inline">
            {t("notify.feedTitle")}
          </h2>
          {(feed.data?.unread ?? 0) > 0 && (
            <button type="button" className="btn" onClick={markRead}>
              {t("notify.markRead")}
            </button>
          )}
        </div>
        {feed.loading && !feed.data && <Spinner />}
        {feed.error ? <ErrorNotice error={feed.error} onRetry={feed.reload} /> : null}
        {feed.data && items.length === 0 && <p className="muted">{t("notify.empty")}</p>}
        <ul className="notification-list">
          {items.map((n) => (
            <li key={n.id} className={n.read ? "notification" : "notification unread"}>
              <Link to={n.link}>{n.title}</Link>
              {!n.read && <span className="sr-only"> ({t("notify.new")})</span>}
              <p className="small">{n.text}</p>
              <p className="small muted">{formatDate(n.created_at)}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
