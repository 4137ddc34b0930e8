// Peer review on a piece of work (server/handlers/peer_review_handlers.h).
// Staff ask a classmate and see who reviewed; the student and their family
// read answered reviews from "a classmate". Feedback only: never a rating.
import { useEffect, useState, type FormEvent } from "react";
import { api, enc, errorMessage } from "../../lib/api";
import { useApi } from "../../lib/hooks";
import { formatDate } from "../../lib/format";
import { Field, LiveMessage } from "../ui";
import { useT, type T } from "../../i18n";

export interface PeerReview {
  id: string;
  submission: number;
  state: "assigned" | "answered" | "withdrawn";
  prompt: string;
  reviewer?: { id: string; name: string } | string | null;
  strength?: string;
  suggestion?: string;
  assigned_at: string;
  answered_at?: string;
  title?: string;
  badge?: string;
}

function reviewerName(r: PeerReview, t: T): string {
  if (!r.reviewer) return t("peer.classmate");
  return typeof r.reviewer === "string" ? r.reviewer : r.reviewer.name;
}

/** A classmate's answer: what works, what to improve. */
export function PeerAnswer({ review }: { review: PeerReview }) {
  const t = useT();
  return (
    <dl className="peer-answer">
      <dt>{t("peer.works")}</dt>
      <dd>{review.strength}</dd>
      <dt>{t("peer.improve")}</dt>
      <dd>{review.suggestion}</dd>
    </dl>
  );
}

export function PeerReviews({ submissionId, studentId, staff, submitted }: { submissionId: number; studentId: string; staff: boolean; submitted: boolean }) {
  const path = `/api/v1/submissions/${submissionId}/peer-reviews`;
  const { data, reload } = useApi<{ peer_reviews: PeerReview[] }>(path);
  const reviews = data?.peer_reviews ?? [];
  const t = useT();
  if (!staff && reviews.length === 0) return null;
  return (
    <section className="card peer-reviews" aria-labelledby="peer-title">
      <h2 id="peer-title" className="section-title inline">
        {t("peer.title")}
      </h2>
      <p className="small muted">{t("peer.intro")}</p>
      {reviews.length === 0 ? (
        <p className="small muted">{t("peer.noneAsked")}</p>
      ) : (
        <ul className="peer-list">
          {reviews.map((r) => (
            <li key={r.id} data-review={r.id} data-state={r.state}>
              <strong>{reviewerName(r, t)}</strong>{" "}
              <span className="small muted">{r.state === "answered" && r.answered_at ? formatDate(r.answered_at.slice(0, 10)) : t("peer.waiting")}</span>
              {r.prompt && <div className="small muted">{t("peer.asked", { prompt: r.prompt })}</div>}
              {r.state === "answered" && <PeerAnswer review={r} />}
            </li>
          ))}
        </ul>
      )}
      {staff && submitted && <AssignForm studentId={studentId} path={path} taken={reviews} onDone={reload} />}
    </section>
  );
}

function AssignForm({ studentId, path, taken, onDone }: { studentId: string; path: string; taken: PeerReview[]; onDone: () => void }) {
  const [classmates, setClassmates] = useState<{ id: string; name: string }[] | null>(null);
  const [reviewer, setReviewer] = useState("");
  const [prompt, setPrompt] = useState("");
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const student = await api.get<{ sections: { id: string }[] }>(`/api/v1/students/${enc(studentId)}`);
        const seen = new Map<string, string>();
        for (const s of student.sections) {
          const members = await api.get<{ id: string; name: string }[]>(`/api/v1/sections/${enc(s.id)}/students`);
          for (const m of members) if (m.id !== studentId) seen.set(m.id, m.name);
        }
        if (live) setClassmates([...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)));
      } catch {
        if (live) setClassmates([]);
      }
    })();
    return () => {
      live = false;
    };
  }, [studentId]);

  const busy = new Set(taken.map((r) => (r.reviewer && typeof r.reviewer === "object" ? r.reviewer.id : "")));
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reviewer) return;
    setMessage(null);
    try {
      await api.post(path, { reviewer, prompt: prompt.trim() || undefined });
      setMessage({ text: "Classmate asked to review this work.", tone: "success" });
      setReviewer("");
      setPrompt("");
      onDone();
    } catch (err) {
      setMessage({ text: errorMessage(err), tone: "error" });
    }
  }

  return (
    <form className="peer-assign" onSubmit={submit}>
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      <Field id="peer-reviewer" label="Ask a classmate to review" hint="They see the work without the author's name; the author does not see who reviewed.">
        {(f) => (
          <select {...f} value={reviewer} onChange={(e) => setReviewer(e.target.value)} disabled={!classmates}>
            <option value="">{classmates ? "Choose a classmate" : "Loading classmates…"}</option>
            {(classmates ?? []).filter((c) => !busy.has(c.id)).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="peer-prompt" label="Question for the reviewer (optional)">
        {(f) => <input {...f} value={prompt} maxLength={2000} onChange={(e) => setPrompt(e.target.value)} placeholder="Is the method clear?" />}
      </Field>
      <button type="submit" className="btn btn-secondary btn-sm" disabled={!reviewer}>
        Ask for a peer review
      </button>
    </form>
  );
}
