// Calibration sessions: a leader picks a badge, CPEs, pieces of student work
// and raters; raters rate blind; the leader reveals the ratings side by side.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { api, errorMessage } from "../lib/api";
import { isLeader, useMe } from "../lib/auth";
import { useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { plural } from "../lib/format";
import { Link, navigate, useLocation } from "../lib/router";
import type { Section } from "../lib/types";
import type { CalibrationState, CalibrationSummary, QueueItem, Submission, SubmissionSummary } from "../lib/portfolio";
import { Empty, ErrorNotice, Field, PageHeader, ProgressBar, Spinner } from "../components/ui";
import "../components/portfolio/portfolio.css";

export const CALIBRATION_STATE_LABELS: Record<CalibrationState, string> = {
  rating: "Rating (blind)",
  revealed: "Revealed: discussing",
  closed: "Closed",
};

export function CalibrationListPage() {
  useDocumentTitle("Calibration");
  const me = useMe();
  const leader = isLeader(me.role);
  const { search, pathname } = useLocation();
  const creating = search.get("new") === "1";
  const { data, error, loading, reload } = useApi<{ calibrations: CalibrationSummary[] }>("/api/v1/calibrations");

  return (
    <div className="page">
      <PageHeader
        title="Calibration"
        subtitle="Rate the same anonymized work independently, then compare ratings side by side to build a shared picture of proficiency."
        actions={
          <>
            <Link to="/exemplars" className="btn btn-secondary btn-sm">
              Exemplar bank
            </Link>
            {leader && !creating && (
              <Link to={`${pathname}?new=1`} className="btn btn-primary btn-sm">
                New session
              </Link>
            )}
          </>
        }
      />
      {leader && creating && <NewSession onCancel={() => navigate(pathname, { replace: true })} />}
      {error !== undefined && <ErrorNotice error={error} title="The sessions could not be loaded" onRetry={reload} />}
      {loading && !data && <Spinner />}
      {data && data.calibrations.length === 0 && !creating && (
        <Empty title="No calibration sessions yet">{leader ? "Start one with “New session”." : "When a leader invites you to a session, it shows here."}</Empty>
      )}
      {data && data.calibrations.length > 0 && (
        <ul className="card-grid calib-list">
          {data.calibrations.map((c) => (
            <li key={c.id} className="card calib-card" data-calibration={c.id}>
              <h2>
                <Link to={`/calibration/${c.id}`} className="stretched">
                  {c.title}
                </Link>
              </h2>
              <p className="small muted">
                <span className="code code-sm">{c.badge}</span> · {plural(c.items, "item")} · {c.cpes.join(", ")}
              </p>
              <p className="small">
                <span className={`calib-state calib-${c.state}`}>{CALIBRATION_STATE_LABELS[c.state]}</span>
              </p>
              <p className="small muted">Raters: {c.raters.map((r) => r.name).join(", ")}</p>
              {c.my_progress && c.my_progress.total > 0 && (
                <>
                  <p className="small">
                    You rated {c.my_progress.done} of {c.my_progress.total}
                  </p>
                  <ProgressBar value={c.my_progress.done} max={c.my_progress.total} label={`Your ratings in ${c.title}`} />
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface Candidate {
  id: number;
  title: string;
  student: string;
  state: string;
}

function NewSession({ onCancel }: { onCancel: () => void }) {
  const me = useMe();
  const { catalog } = useCatalog();
  const sections = useApi<Section[]>("/api/v1/sections").data;
  const [title, setTitle] = useState("");
  const [badge, setBadge] = useState("");
  const [cpes, setCpes] = useState<string[]>([]);
  const [section, setSection] = useState("");
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [looking, setLooking] = useState(false);
  const [items, setItems] = useState<number[]>([]);
  const [includeMe, setIncludeMe] = useState(true);
  const [others, setOthers] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const catalogBadge = catalog?.badges.find((b) => b.code === badge);
  const badges = useMemo(() => {
    const codes = new Set(sections?.flatMap((s) => s.badges) ?? []);
    return (catalog?.badges ?? []).filter((b) => codes.size === 0 || codes.has(b.code));
  }, [catalog, sections]);

  // Candidates: the review queue for the badge, plus submitted and accepted
  // work of a chosen section's students.
  useEffect(() => {
    if (!badge) {
      setCandidates([]);
      return;
    }
    let live = true;
    setLooking(true);
    (async () => {
      const found = new Map<number, Candidate>();
      try {
        const q = await api.get<{ queue: QueueItem[] }>(`/api/v1/portfolio/queue?badge=${encodeURIComponent(badge)}`);
        for (const s of q.queue) found.set(s.id, { id: s.id, title: s.title, student: s.student.name, state: s.state });
      } catch {
        /* the queue is only one source */
      }
      if (section) {
        try {
          const students = await api.get<{ id: string }[]>(`/api/v1/sections/${encodeURIComponent(section)}/students`);
          const lists = await Promise.all(
            students.map((st) => api.get<{ submissions: SubmissionSummary[] }>(`/api/v1/students/${encodeURIComponent(st.id)}/submissions`).catch(() => ({ submissions: [] }))),
          );
          for (const l of lists)
            for (const s of l.submissions) if (s.badge === badge && s.state !== "draft") found.set(s.id, { id: s.id, title: s.title, student: s.student.name, state: s.state });
        } catch {
          /* ignore */
        }
      }
      if (live) {
        setCandidates([...found.values()]);
        setLooking(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [badge, section]);

  async function create(e: FormEvent) {
    e.preventDefault();
    const raters = [...new Set([...(includeMe ? [me.id] : []), ...others.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean)])];
    const errs: Record<string, string> = {};
    if (!title.trim()) errs.title = "Give the session a title.";
    if (!badge) errs.badge = "Choose a badge.";
    if (badge && cpes.length === 0) errs.cpes = "Choose at least one CPE to rate.";
    if (badge && items.length === 0) errs.items = "Choose at least one piece of work.";
    if (raters.length < 2) errs.raters = "Agreement needs at least two raters.";
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length) return;
    setSaving(true);
    try {
      // The session rates a fixed version: the submitted one.
      const versions = await Promise.all(
        items.map(async (id) => {
          const s = await api.get<Submission>(`/api/v1/submissions/${id}`);
          const v = s.history.find((h) => h.number === s.submitted_version) ?? s.history[s.history.length - 1];
          return v.id;
        }),
      );
      const created = await api.post<{ id: number }>("/api/v1/calibrations", { title: title.trim(), badge, cpes, items: versions, raters });
      navigate(`/calibration/${created.id}`);
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="card calib-new" onSubmit={create} noValidate aria-labelledby="new-calib-title">
      <h2 id="new-calib-title" className="section-title inline">
        New calibration session
      </h2>
      {formError && (
        <div className="notice notice-error" role="alert">
          <strong>The session was not created</strong>
          <p>{formError}</p>
        </div>
      )}
      <div className="form-grid">
        <Field label="Title" error={errors.title}>
          {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. M101 modelling, autumn" />}
        </Field>
        <Field label="Badge" error={errors.badge}>
          {(p) => (
            <select
              {...p}
              value={badge}
              onChange={(e) => {
                setBadge(e.target.value);
                setCpes([]);
                setItems([]);
              }}
            >
              <option value="">Choose a badge…</option>
              {badges.map((b) => (
                <option key={b.code} value={b.code}>
                  {b.code} {b.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {catalogBadge && (
        <fieldset className={errors.cpes ? "fieldset has-error" : "fieldset"}>
          <legend>CPEs to rate</legend>
          <div className="check-grid">
            {catalogBadge.cpes.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" checked={cpes.includes(c.id)} onChange={(e) => setCpes((o) => (e.target.checked ? [...o, c.id] : o.filter((x) => x !== c.id)))} />
                <span>
                  <span className="code code-sm">{c.id}</span> {c.label}
                </span>
              </label>
            ))}
          </div>
          {errors.cpes && <p className="field-error">{errors.cpes}</p>}
        </fieldset>
      )}
      {badge && (
        <fieldset className={errors.items ? "fieldset has-error" : "fieldset"}>
          <legend>Work to rate</legend>
          <p className="field-hint">Raters see the work without names or reflections. Work waiting in the review queue is listed; pick a section to add its submitted and accepted work.</p>
          <div className="field field-inline">
            <label htmlFor="calib-section">Also from section</label>
            <select id="calib-section" value={section} onChange={(e) => setSection(e.target.value)}>
              <option value="">None</option>
              {sections
                ?.filter((s) => s.badges.includes(badge))
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title}
                  </option>
                ))}
            </select>
          </div>
          {looking && <Spinner label="Finding work…" />}
          {!looking && candidates.length === 0 && <p className="small muted">No submitted work for {badge} found yet.</p>}
          <ul className="plain calib-candidates">
            {candidates.map((c) => (
              <li key={c.id}>
                <label className="check">
                  <input type="checkbox" checked={items.includes(c.id)} onChange={(e) => setItems((o) => (e.target.checked ? [...o, c.id] : o.filter((x) => x !== c.id)))} />
                  <span>
                    {c.title} <span className="muted small">· {c.student} · {c.state.replace("_", " ")}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {errors.items && <p className="field-error">{errors.items}</p>}
        </fieldset>
      )}
      <fieldset className={errors.raters ? "fieldset has-error" : "fieldset"}>
        <legend>Raters</legend>
        <label className="check">
          <input type="checkbox" checked={includeMe} onChange={(e) => setIncludeMe(e.target.checked)} />
          <span>Me ({me.name})</span>
        </label>
        <Field
          id="calib-raters"
          label="Other raters"
          hint={
            <>
              Their Cairn IDs, separated by commas, e.g. teacher-001.
              {sections && sections.length > 0 ? ` Teachers of your sections: ${[...new Set(sections.flatMap((s) => s.teachers))].join(", ")}.` : ""}
            </>
          }
        >
          {(f) => <input {...f} value={others} onChange={(e) => setOthers(e.target.value)} autoComplete="off" />}
        </Field>
        {errors.raters && <p className="field-error">{errors.raters}</p>}
      </fieldset>
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? "Creating…" : "Create session"}
        </button>
      </div>
    </form>
  );
}
