// The teacher's side of a submission: start the review, give feedback
// (optionally anchored to an area of the work), ask for a revision, accept,
// rate the tagged CPEs into the ledger and nominate an exemplar.
import { useState, type FormEvent } from "react";
import { api, errorMessage } from "../../lib/api";
import { canRate, useMe } from "../../lib/auth";
import { EVIDENCE_KINDS } from "../../lib/format";
import type { CatalogBadge, ScaleLevel } from "../../lib/types";
import { taggedCpes, type Anchor, type Submission, type SubmissionVersion } from "../../lib/portfolio";
import { Field, LiveMessage, type FieldControlProps } from "../ui";

interface Props {
  submission: Submission;
  version: SubmissionVersion | undefined;
  badge: CatalogBadge | undefined;
  levels: ScaleLevel[];
  act: (kind: string, body?: Record<string, unknown>) => Promise<boolean>;
  drawing: boolean;
  setDrawing: (on: boolean) => void;
  anchor: Anchor | null;
  setAnchor: (a: Anchor | null) => void;
  onRated: () => Promise<void>;
  canDraw: boolean;
}

export function ReviewPanel({ submission: s, version, badge, levels, act, drawing, setDrawing, anchor, setAnchor, onRated, canDraw }: Props) {
  const me = useMe();
  const [feedback, setFeedback] = useState("");
  const [revision, setRevision] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [revisionError, setRevisionError] = useState<string | null>(null);
  const withTeacher = s.state === "submitted" || s.state === "in_review";
  const fileName = anchor ? version?.artifacts.find((a) => a.id === anchor.artifact)?.name : undefined;

  async function run(kind: string, body?: Record<string, unknown>) {
    setBusy(kind);
    try {
      return await act(kind, body);
    } finally {
      setBusy(null);
    }
  }

  async function sendFeedback(e: FormEvent) {
    e.preventDefault();
    if (!feedback.trim()) return;
    const body: Record<string, unknown> = { message: feedback.trim() };
    if (version) body.version = version.id;
    if (anchor) body.anchor = anchor;
    if (await run("feedback", body)) {
      setFeedback("");
      setAnchor(null);
      setDrawing(false);
    }
  }

  async function requestRevision(e: FormEvent) {
    e.preventDefault();
    if (!revision.trim()) {
      setRevisionError("Say what to revise, so the student knows the next step.");
      return;
    }
    setRevisionError(null);
    if (await run("request_revision", { message: revision.trim() })) setRevision("");
  }

  return (
    <section className="card review-panel" aria-labelledby="review-title">
      <h2 id="review-title" className="section-title inline">
        Review
      </h2>
      {s.state === "submitted" && (
        <div className="review-block">
          <p className="small muted">Waiting {s.waiting_days ?? 0} {s.waiting_days === 1 ? "day" : "days"}. Starting the review tells the student you are looking at it.</p>
          <button type="button" className="btn btn-primary btn-block" disabled={busy !== null} onClick={() => run("start_review")}>
            Start review
          </button>
        </div>
      )}

      {s.state !== "draft" && (
        <form className="review-block" onSubmit={sendFeedback}>
          <Field id="feedback-text" label="Feedback" hint={canDraw ? "Optional: mark the area of the picture or page it is about. Feedback without a marked area refers to the whole work." : "Feedback refers to the whole work."}>
            {(f) => <textarea {...f} rows={4} value={feedback} onChange={(e) => setFeedback(e.target.value)} />}
          </Field>
          {canDraw && (
            <div className="anchor-controls">
              <button type="button" className="btn btn-secondary btn-sm" aria-pressed={drawing} onClick={() => setDrawing(!drawing)}>
                {drawing ? "Stop marking" : "Mark an area"}
              </button>
              {drawing && !anchor && <span className="small muted">Drag on the work to draw a box.</span>}
              {anchor && (
                <span className="small">
                  Area marked on {anchor.page > 0 ? `page ${anchor.page} of ` : ""}
                  {fileName ?? "the file"}.{" "}
                  <button type="button" className="linklike" onClick={() => setAnchor(null)}>
                    Clear the area
                  </button>
                </span>
              )}
            </div>
          )}
          <button type="submit" className="btn btn-secondary" disabled={busy !== null || !feedback.trim()}>
            {busy === "feedback" ? "Adding…" : "Add feedback"}
          </button>
        </form>
      )}

      {withTeacher && (
        <>
          <form className="review-block" onSubmit={requestRevision}>
            <Field id="revision-text" label="Ask for a revision" error={revisionError} hint="What should the next version change or add? The student sees this at the top of the work.">
              {(f) => <textarea {...f} rows={3} value={revision} onChange={(e) => setRevision(e.target.value)} />}
            </Field>
            <button type="submit" className="btn btn-secondary" disabled={busy !== null}>
              {busy === "request_revision" ? "Sending…" : "Request revision"}
            </button>
          </form>
          <div className="review-block">
            <button type="button" className="btn btn-primary btn-block" disabled={busy !== null} onClick={() => run("accept")}>
              {busy === "accept" ? "Accepting…" : "Accept this work"}
            </button>
          </div>
        </>
      )}

      {canRate(me.role) && s.state !== "draft" && s.submitted_version !== null && (
        <RateForm submission={s} badge={badge} levels={levels} onRated={onRated} />
      )}
      <NominateForm submission={s} badge={badge} levels={levels} act={run} busy={busy !== null} />
    </section>
  );
}

function RateForm({ submission: s, badge, levels, onRated }: { submission: Submission; badge: CatalogBadge | undefined; levels: ScaleLevel[]; onRated: () => Promise<void> }) {
  const submitted = s.history.find((v) => v.number === s.submitted_version) ?? s.history[s.history.length - 1];
  const cpes = taggedCpes(submitted);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [kind, setKind] = useState("portfolio_item");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  if (!cpes.length) return null;
  // The indicator the student tagged, when they tagged exactly one.
  const indicatorOf = (cpe: string) => {
    const tagged = [...new Set((submitted?.tags ?? []).filter((t) => t.cpe === cpe && t.indicator).map((t) => t.indicator!))];
    return tagged.length === 1 ? tagged[0] : undefined;
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    const ratings = cpes.filter((c) => chosen[c]).map((c) => ({ cpe: c, level: chosen[c], note: notes[c]?.trim() || undefined, indicator: indicatorOf(c) }));
    if (!ratings.length) {
      setMessage({ text: "Choose a level for at least one CPE.", tone: "error" });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      await api.post(`/api/v1/submissions/${s.id}/ratings`, { version: submitted?.id, kind, ratings });
      setMessage({ text: `Recorded ${ratings.length === 1 ? "1 rating" : `${ratings.length} ratings`} from version ${submitted?.number}.`, tone: "success" });
      setChosen({});
      setNotes({});
      await onRated();
    } catch (err) {
      setMessage({ text: errorMessage(err), tone: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="review-block rate-form" onSubmit={save} aria-labelledby="rate-title">
      <h3 id="rate-title">Rate the CPEs this work shows</h3>
      <p className="small muted">Ratings go into the student's evidence record, linked to version {submitted?.number}.</p>
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      <Field id="rate-kind" label="Kind of evidence" hint={EVIDENCE_KINDS.find((k) => k.id === kind)?.hint}>
        {(f) => (
          <select {...f} value={kind} onChange={(e) => setKind(e.target.value)}>
            {EVIDENCE_KINDS.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {cpes.map((c) => {
        const cpe = badge?.cpes.find((x) => x.id === c);
        return (
          <div key={c} className="rate-row">
            <Field
              id={`rate-${c}`}
              label={
                <>
                  <span className="code code-sm">{c}</span> {cpe?.label ?? ""}
                </>
              }
            >
              {(f) => <LevelSelect {...f} levels={levels} none="Not rated now" value={chosen[c] ?? ""} onChange={(v) => setChosen((o) => ({ ...o, [c]: v }))} />}
            </Field>
            {chosen[c] && (
              <Field id={`rate-note-${c}`} label={`Note for ${c} (optional)`}>
                {(f) => <input {...f} value={notes[c] ?? ""} onChange={(e) => setNotes((o) => ({ ...o, [c]: e.target.value }))} />}
              </Field>
            )}
          </div>
        );
      })}
      <button type="submit" className="btn btn-secondary" disabled={busy}>
        {busy ? "Recording…" : "Record ratings"}
      </button>
    </form>
  );
}

function NominateForm({ submission: s, badge, levels, act, busy }: { submission: Submission; badge: CatalogBadge | undefined; levels: ScaleLevel[]; act: (kind: string, body?: Record<string, unknown>) => Promise<boolean>; busy: boolean }) {
  const [cpe, setCpe] = useState("");
  const [level, setLevel] = useState("");
  if (s.state === "draft" || !badge) return null;
  const version = s.history.find((v) => v.number === s.submitted_version);
  const tagged = taggedCpes(version);
  const options = tagged.length ? tagged : badge.cpes.map((c) => c.id);
  return (
    <details className="review-block nominate">
      <summary>Nominate as an exemplar</summary>
      {!s.consented ? (
        <p className="small muted">Exemplars are shared, without names, with other teachers. This work can be nominated once the student (or their family) consents.</p>
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            if (!cpe || !level) return;
            if (await act("nominate_exemplar", { cpe, level, version: version?.id })) {
              setCpe("");
              setLevel("");
            }
          }}
        >
          <p className="small muted">The student consented. The work is shown to teachers without the student's name or reflection.</p>
          <div className="form-grid">
            <Field id="nom-cpe" label="CPE it exemplifies">
              {(f) => (
                <select {...f} value={cpe} onChange={(e) => setCpe(e.target.value)}>
                  <option value="">Choose…</option>
                  {options.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="nom-level" label="At level">
              {(f) => <LevelSelect {...f} levels={levels} none="Choose…" value={level} onChange={setLevel} />}
            </Field>
          </div>
          <button type="submit" className="btn btn-secondary" disabled={busy || !cpe || !level}>
            Nominate
          </button>
        </form>
      )}
    </details>
  );
}

/** A select of the scale's levels, with a first option for none. */
function LevelSelect({ levels, none, value, onChange, ...field }: FieldControlProps & { levels: ScaleLevel[]; none: string; value: string; onChange: (level: string) => void }) {
  return (
    <select {...field} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{none}</option>
      {levels.map((l) => (
        <option key={l.id} value={l.id}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
