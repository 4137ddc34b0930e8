import { useState, type FormEvent } from "react";
import { api, errorMessage } from "../../lib/api";
import type { CourseBadges } from "../../lib/alignment";
import { useApi } from "../../lib/hooks";
import { ErrorNotice, Field, LiveMessage, Spinner, WholeNumberInput } from "../../components/ui";

interface PaceSettings {
  not_progressing_weeks: number;
  weeks_per_badge: number;
  course_weeks_per_badge: Record<string, number>;
}

/**
 * The district's pace plan: how many weeks a badge is expected to take
 * (for every course, or for one course), and how many weeks without a CPE
 * reaching mastery make a student "not progressing". The pace list
 * ("Who needs help") measures each student's growth against this plan.
 */
export function PacePlanSection() {
  const { data, error, loading, reload } = useApi<PaceSettings>("/api/v1/settings/pace");
  const courses = useApi<CourseBadges[]>("/api/v1/courses");
  return (
    <section className="card" aria-labelledby="pace-plan-title">
      <h2 id="pace-plan-title" className="section-title">
        Pace plan
      </h2>
      <p className="small muted">The pace the district expects. "Who needs help" lists students whose growth is below it, and those not progressing.</p>
      {(error ?? courses.error) !== undefined && <ErrorNotice error={error ?? courses.error} onRetry={reload} />}
      {(loading || courses.loading) && !(data && courses.data) && <Spinner />}
      {data && courses.data && <PacePlanForm initial={data} courses={courses.data} />}
    </section>
  );
}

function PacePlanForm({ initial, courses }: { initial: PaceSettings; courses: CourseBadges[] }) {
  const [stalled, setStalled] = useState<number | undefined>(initial.not_progressing_weeks);
  const [weeks, setWeeks] = useState<number | undefined>(initial.weeks_per_badge);
  // A course left empty follows the district's number.
  const [perCourse, setPerCourse] = useState<Record<string, number | undefined>>(initial.course_weeks_per_badge);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const course_weeks_per_badge: Record<string, number> = {};
      for (const [id, n] of Object.entries(perCourse)) if (n !== undefined) course_weeks_per_badge[id] = n;
      const saved = await api.put<PaceSettings>("/api/v1/settings/pace", { not_progressing_weeks: stalled, weeks_per_badge: weeks, course_weeks_per_badge });
      setStalled(saved.not_progressing_weeks);
      setWeeks(saved.weeks_per_badge);
      setPerCourse(saved.course_weeks_per_badge);
      setMessage({ text: "Pace plan saved.", tone: "success" });
    } catch (err) {
      setMessage({ text: errorMessage(err), tone: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      <div className="form-grid">
        <Field label="Weeks a badge is expected to take" hint="1 to 52, for every course without its own number.">
          {(p) => <WholeNumberInput {...p} min={1} max={52} value={weeks} onChange={setWeeks} />}
        </Field>
        <Field label="Weeks without progress before a student is flagged" hint="1 to 52: no CPE newly at mastery in this many weeks.">
          {(p) => <WholeNumberInput {...p} min={1} max={52} value={stalled} onChange={setStalled} />}
        </Field>
      </div>
      {courses.length > 0 && (
        <fieldset className="fieldset">
          <legend>Weeks per badge, by course</legend>
          <p className="field-hint">Leave a course empty to use the district's number.</p>
          <div className="form-grid">
            {courses.map((c) => (
              // Two courses may share a title (two schools' "Algebra I"): then the id tells them apart.
              <Field key={c.id} label={courses.filter((x) => x.title === c.title).length > 1 ? `${c.title} (${c.id})` : c.title}>
                {(p) => (
                  <WholeNumberInput
                    {...p}
                    min={1}
                    max={52}
                    placeholder={weeks ? String(weeks) : undefined}
                    value={perCourse[c.id]}
                    onChange={(n) => setPerCourse({ ...perCourse, [c.id]: n })}
                  />
                )}
              </Field>
            ))}
          </div>
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save pace plan"}
        </button>
      </div>
    </form>
  );
}
