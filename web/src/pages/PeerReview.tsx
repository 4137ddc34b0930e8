// A student's peer reviews to write (server/handlers/peer_review_handlers.h):
// the work is shown without its author; the answer is feedback, never a rating.
import { useState, type FormEvent } from "react";
import { api, enc, errorMessage } from "../lib/api";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { Link } from "../lib/router";
import { PeerAnswer, type PeerReview } from "../components/portfolio/PeerReviews";
import { Empty, ErrorNotice, Field, LiveMessage, PageHeader, Spinner } from "../components/ui";
import { useT } from "../i18n";

interface WorkVersion {
  number: number;
  text: string;
  link: string;
  tags: { cpe: string }[];
  artifacts: { id: number; name: string; mime: string }[];
}

export function PeerReviewsPage() {
  const t = useT();
  useDocumentTitle(t("nav.peerReviews"));
  const { data, error, reload } = useApi<{ peer_reviews: PeerReview[] }>("/api/v1/peer-reviews");
  const list = data?.peer_reviews ?? [];
  return (
    <div className="page page-narrow">
      <PageHeader title={t("nav.peerReviews")} subtitle={t("peer.listSubtitle")} />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {!data && error === undefined && <Spinner />}
      {data && list.length === 0 && <Empty title={t("peer.nothing")} />}
      {list.length > 0 && (
        <ul className="card peer-list">
          {list.map((r) => (
            <li key={r.id} data-review={r.id} data-state={r.state}>
              <Link to={`/me/reviews/${enc(r.id)}`}>{r.title ?? t("peer.classmateWork")}</Link> <span className="code code-sm">{r.badge}</span>{" "}
              <span className="small muted">{r.state === "answered" ? t("peer.answered") : t("peer.askedOn", { date: formatDate(r.assigned_at.slice(0, 10)) })}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function PeerReviewPage({ id }: { id: string }) {
  const path = `/api/v1/peer-reviews/${enc(id)}`;
  const { data: r, error, reload, setData } = useApi<PeerReview & { work: { title: string; badge: string; history: WorkVersion[] } }>(path);
  const [strength, setStrength] = useState("");
  const [suggestion, setSuggestion] = useState("");
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  const t = useT();
  useDocumentTitle(t("peer.title"));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    try {
      const answered = await api.post<PeerReview>(`${path}/answer`, { strength, suggestion });
      setData((old) => (old ? { ...old, ...answered } : old));
      setMessage({ text: t("peer.sent"), tone: "success" });
    } catch (err) {
      setMessage({ text: errorMessage(err), tone: "error" });
    }
  }

  const version = r?.work.history[r.work.history.length - 1];
  return (
    <div className="page page-narrow">
      <PageHeader crumbs={[{ to: "/me/reviews", label: t("nav.peerReviews") }]} title={r ? r.work.title : t("peer.title")} subtitle={r ? <span className="code">{r.work.badge}</span> : undefined} />
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {!r && error === undefined && <Spinner />}
      {r && (
        <>
          {r.prompt && (
            <p className="notice">
              <strong>{t("peer.teacherAsks")}</strong> {r.prompt}
            </p>
          )}
          <article className="card peer-work" aria-label={t("peer.theWork")}>
            {version ? (
              <>
                {version.text && <p className="pre-wrap">{version.text}</p>}
                {version.link && (
                  <p>
                    <a href={version.link} target="_blank" rel="noopener noreferrer">
                      {version.link}
                    </a>
                  </p>
                )}
                {version.artifacts.length > 0 && (
                  <ul>
                    {version.artifacts.map((a, i) => (
                      <li key={a.id}>
                        <a href={`${path}/files/${a.id}`} target="_blank" rel="noopener noreferrer">
                          File {i + 1} ({a.mime})
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
                {version.tags.length > 0 && <p className="small muted">{t("peer.evidenceFor", { cpes: version.tags.map((tag) => tag.cpe).join(", ") })}</p>}
              </>
            ) : (
              <p className="muted">{t("peer.unavailable")}</p>
            )}
          </article>
          {r.state === "answered" ? (
            <section className="card" aria-labelledby="my-answer">
              <h2 id="my-answer">{t("peer.yourFeedback")}</h2>
              <PeerAnswer review={r} />
            </section>
          ) : (
            <form className="card plan-form" onSubmit={submit} aria-label={t("peer.yourFeedback")}>
              <Field id="peer-strength" label={t("peer.worksQ")}>
                {(f) => <textarea {...f} rows={3} maxLength={2000} required value={strength} onChange={(e) => setStrength(e.target.value)} />}
              </Field>
              <Field id="peer-suggestion" label={t("peer.improveOne")}>
                {(f) => <textarea {...f} rows={3} maxLength={2000} required value={suggestion} onChange={(e) => setSuggestion(e.target.value)} />}
              </Field>
              <button type="submit" className="btn btn-primary">
                {t("peer.send")}
              </button>
            </form>
          )}
        </>
      )}
    </div>
  );
}
