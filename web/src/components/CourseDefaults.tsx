import { useState, type FormEvent } from "react";
import { api, ApiError, capitalize, enc, errorMessage } from "../lib/api";
import type { CourseBadges } from "../lib/alignment";
import { useCatalog } from "../lib/catalog";
import { useApi } from "../lib/hooks";
import { Dialog, ErrorNotice, LiveMessage, Spinner } from "./ui";

/**
 * The badges each course's new sections start with (admins): GET
 * /api/v1/courses, and a dialog that sets one course's list with PUT
 * /api/v1/courses/{course}/badges. Sections that exist already keep theirs.
 */
export function CourseDefaults() {
  const { data, error, loading, reload, setData } = useApi<CourseBadges[]>("/api/v1/courses");
  const [editing, setEditing] = useState<CourseBadges | null>(null);
  const [message, setMessage] = useState("");

  return (
    <section className="section-group" aria-labelledby="course-defaults-title" data-course-defaults="">
      <h2 id="course-defaults-title" className="group-title">
        Course defaults
      </h2>
      <p className="small muted">A section created for a course (for example by a roster import) starts with the course's badges. Sections that exist already keep theirs.</p>
      {message && <LiveMessage message={message} onDismiss={() => setMessage("")} />}
      {loading && <Spinner />}
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {data && (
        <ul className="plain">
          {data.map((c) => (
            <li key={c.id} data-course={c.id}>
              <strong>{c.title}</strong> <span className="muted small">{c.id}</span>{" "}
              <span className="small">{c.badges.length ? c.badges.join(", ") : "no default badges"}</span>{" "}
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => setEditing(c)}>
                Edit defaults<span className="sr-only"> of {c.title}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <CourseBadgesEditor
          key={editing.id}
          course={editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setData((old) => old?.map((c) => (c.id === saved.id ? saved : c)));
            setMessage(`Saved. New sections of ${saved.title} start with ${saved.badges.length ? saved.badges.join(", ") : "no badges"}.`);
            setEditing(null);
          }}
        />
      )}
    </section>
  );
}

function CourseBadgesEditor({ course, onClose, onSaved }: { course: CourseBadges; onClose: () => void; onSaved: (saved: CourseBadges) => void }) {
  const { catalog, error: catalogError } = useCatalog();
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(course.badges));
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState("");

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!catalog) return;
    const badges = catalog.badges.map((b) => b.code).filter((c) => chosen.has(c));
    setSaving(true);
    setFormError("");
    try {
      onSaved(await api.put<CourseBadges>(`/api/v1/courses/${enc(course.id)}/badges`, { badges }));
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) {
        setFormError(`Not saved: ${err.errors.map((p) => `${p.field}: ${capitalize(p.message)}`).join("; ")}`);
      } else {
        setFormError(errorMessage(err));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Dialog open title={`Default badges of ${course.title}`} onClose={onClose} description={<p>Tick the badges new sections of this course start with.</p>}>
      {catalogError !== undefined && <ErrorNotice error={catalogError} title="The catalog could not be loaded" />}
      {!catalog && catalogError === undefined && <Spinner label="Loading the catalog…" />}
      {catalog && (
        <form onSubmit={save} noValidate>
          {formError && (
            <div className="notice notice-error" role="alert">
              <p>{formError}</p>
            </div>
          )}
          <fieldset className="fieldset">
            <legend>
              Badges <span className="count">{chosen.size}</span>
            </legend>
            <div className="badge-picker">
              {catalog.badges.map((b) => (
                <div key={b.code} className="badge-pick" data-code={b.code}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={chosen.has(b.code)}
                      onChange={(e) =>
                        setChosen((old) => {
                          const next = new Set(old);
                          if (e.target.checked) next.add(b.code);
                          else next.delete(b.code);
                          return next;
                        })
                      }
                    />
                    <span>
                      <span className="code code-sm">{b.code}</span> {b.title}
                    </span>
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          <div className="form-actions">
            <button type="button" className="btn btn-secondary" onClick={onClose} disabled={saving}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={saving}>
              {saving ? "Saving…" : "Save defaults"}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
