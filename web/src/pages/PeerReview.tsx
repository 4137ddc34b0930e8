// A student's peer reviews to write (server/handlers/peer_review_handlers.h):
// the work is shown without its author; the answer is feedback, never a rating.
import { useState, type FormEvent } from "react";
import { api, enc, errorMessage } from "../lib/api";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { Link } from "../lib/router";
import { PeerAnswer, type PeerReview } from "../components/portfolio/PeerReviews";
import { Empty, ErrorNotice, Field, LiveMessage, PageHeader, Spinner } from "../components/ui";

interface WorkVersion {
  number: number;
  text: string;
  link: string;
  tags: { cpe: string }[];
  artifacts: { id: number; name: string; mime: string }[];
}

export function PeerReviewsPage() {
  useDocumentTitle("Peer reviews");
  const { data, error, reload } = useApi<{ peer_reviews: PeerReview[] }>("/api/v1/peer-reviews");
  const list = data?.peer_reviews ?? [];
  return (
    <div className="page page-narrow">
      <PageHeader title="Peer reviews" subtitle="Work your teacher asked you to give feedback on. The author does not see your name." />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {!data && error === undefined && <Spinner />}
      {data && list.length === 0 && <Empty title="Nothing to review right now" />}
      {list.length > 0 && (
        <ul className="card peer-list">
          {list.map((r) => (
            <li key={r.id} data-review={r.id} data-state={r.state}>
              <Link to={`/me/reviews/${enc(r.id)}`}>{r.title ?? "A classmate's work"}</Link> <span className="code code-sm">{r.badge}</span>{" "}
              <span className="small muted">{r.state === "answered" ? "answered" : `asked ${formatDate(r.assigned_at.slice(0, 10))}`}</span>
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
  useDocumentTitle("Peer review");

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    try {
      const answered = await api.post<PeerReview>(`${path}/answer`, { strength, suggestion });
      setData((old) => (old ? { ...old, ...answered } : old));
      setMessage({ text: "Thank you: your feedback was sent.", tone: "success" });
    } catch (err) {
      setMessage({ text: errorMessage(err), tone: "error" });
    }
  }

  const version = r?.work.history[r.work.history.length - 1];
  return (
    <div className="page page-narrow">
      <PageHeader crumbs={[{ to: "/me/reviews", label: "Peer reviews" }]} title={r ? r.work.title : "Peer review"} subtitle={r ? <span className="code">{r.work.badge}</span> : undefined} />
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {!r && error === undefined && <Spinner />}
      {r && (
        <>
          {r.prompt && (
            <p className="notice">
              <strong>Your teacher asks:</strong> {r.prompt}
            </p>
          )}
          <article className="card peer-work" aria-label="The work">
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
                {version.tags.length > 0 && <p className="small muted">Evidence for: {version.tags.map((t) => t.cpe).join(", ")}</p>}
              </>
            ) : (
              <p className="muted">The work is not available.</p>
            )}
          </article>
          {r.state === "answered" ? (
            <section className="card" aria-labelledby="my-answer">
              <h2 id="my-answer">Your feedback</h2>
              <PeerAnswer review={r} />
            </section>
          ) : (
            <form className="card plan-form" onSubmit={submit} aria-label="Your feedback">
              <Field id="peer-strength" label="What works in this work?">
                {(f) => <textarea {...f} rows={3} maxLength={2000} required value={strength} onChange={(e) => setStrength(e.target.value)} />}
              </Field>
              <Field id="peer-suggestion" label="One thing to improve">
                {(f) => <textarea {...f} rows={3} maxLength={2000} required value={suggestion} onChange={(e) => setSuggestion(e.target.value)} />}
              </Field>
              <button type="submit" className="btn btn-primary">
                Send feedback
              </button>
            </form>
          )}
        </>
      )}
    </div>
  );
}
