import { useEffect, useMemo, useRef, useState } from "react";
import { useMe } from "../lib/auth";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { plural } from "../lib/format";
import { Link } from "../lib/router";
import type { Section } from "../lib/types";
import { Empty, ErrorNotice, LiveMessage, PageHeader, Spinner } from "../components/ui";
import { SectionBadgesEditor } from "../components/SectionBadgesEditor";
import { CourseDefaults } from "../components/CourseDefaults";

export function SectionsPage() {
  const me = useMe();
  const title = me.role === "teacher" ? "My sections" : "Sections";
  useDocumentTitle(title);
  const { data, error, loading, reload, setData } = useApi<Section[]>("/api/v1/sections");
  const [filter, setFilter] = useState("");
  const [editing, setEditing] = useState<Section | null>(null);
  const [message, setMessage] = useState("");
  const editButtons = useRef<Record<string, HTMLButtonElement | null>>({});
  const [returnTo, setReturnTo] = useState<string | null>(null);

  // Back to the section's own "Edit badges" button once the editor is gone.
  useEffect(() => {
    if (editing || returnTo === null) return;
    editButtons.current[returnTo]?.focus();
    setReturnTo(null);
  }, [editing, returnTo]);

  function closeEditor(id: string) {
    setEditing(null);
    setReturnTo(id);
  }

  function saved(section: Section, badges: string[]) {
    setData((old) => old?.map((s) => (s.id === section.id ? { ...s, badges } : s)));
    setMessage(badges.length ? `Saved. ${section.title} works on ${badges.join(", ")}.` : `Saved. ${section.title} works on no badges for now.`);
    closeEditor(section.id);
  }

  const groups = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const list = (data ?? []).filter((s) => !q || [s.title, s.course, s.school, s.id, ...s.teachers].some((t) => t.toLowerCase().includes(q)));
    const bySchool = new Map<string, Section[]>();
    for (const s of list) bySchool.set(s.school, [...(bySchool.get(s.school) ?? []), s]);
    return [...bySchool.entries()];
  }, [data, filter]);

  return (
    <div className="page">
      <PageHeader
        title={title}
        subtitle={me.role === "teacher" ? "Pick a section and a badge to open its mastery grid." : "Every section you can see, by school."}
      />
      {(data?.length ?? 0) > 4 && (
        <div className="toolbar">
          <div className="field field-inline">
            <label htmlFor="section-filter">Filter sections</label>
            <input id="section-filter" type="search" placeholder="Course, teacher or school" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </div>
        </div>
      )}
      {message && <LiveMessage message={message} onDismiss={() => setMessage("")} />}
      {loading && <Spinner />}
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {data && data.length === 0 && <Empty title="No sections yet">Sections appear here once the roster lists you as their teacher.</Empty>}
      {groups.map(([school, sections]) => (
        <section key={school} className="section-group" aria-labelledby={`school-${slug(school)}`}>
          {groups.length > 1 || me.role !== "teacher" ? (
            <h2 id={`school-${slug(school)}`} className="group-title">
              {school}
            </h2>
          ) : (
            <h2 id={`school-${slug(school)}`} className="sr-only">
              {school}
            </h2>
          )}
          <ul className="card-grid">
            {sections.map((s) => (
              <li key={s.id} className="card section-card">
                <div className="section-card-head">
                  <h3>
                    <Link to={`/sections/${encodeURIComponent(s.id)}`} className="stretched">
                      {s.title}
                    </Link>
                  </h3>
                  <span className="pill">{s.term}</span>
                </div>
                <p className="muted small">
                  {s.course} · {s.teachers.join(", ") || "No teacher listed"}
                </p>
                <p className="section-meta">
                  <span>{plural(s.student_count, "student")}</span>
                  <span aria-hidden="true">·</span>
                  <span>{plural(s.badges.length, "badge")}</span>
                </p>
                <ul className="code-list" aria-label="Badges of this section">
                  {s.badges.map((b) => (
                    <li key={b}>
                      <Link to={`/sections/${encodeURIComponent(s.id)}?badge=${encodeURIComponent(b)}`} className="code-chip">
                        {b}
                      </Link>
                    </li>
                  ))}
                </ul>
                <p className="section-card-actions">
                  <button
                    type="button"
                    className="btn btn-secondary btn-sm"
                    data-section={s.id}
                    ref={(el) => {
                      editButtons.current[s.id] = el;
                    }}
                    onClick={() => {
                      setMessage("");
                      setEditing(s);
                    }}
                  >
                    Edit badges<span className="sr-only"> of {s.title}</span>
                  </button>
                </p>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {me.role === "admin" && <CourseDefaults />}
      {editing && <SectionBadgesEditor key={editing.id} section={editing} onClose={() => closeEditor(editing.id)} onSaved={(badges) => saved(editing, badges)} />}
    </div>
  );
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
