import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate, percent, plural } from "../lib/format";
import { Link, navigate, useLocation } from "../lib/router";
import type { BadgeDrilldown } from "../lib/types";
import { Empty, ErrorNotice, PageHeader, Spinner } from "../components/ui";

type Status = "not_yet" | "completed" | "all";
const STATUS_LABEL: Record<Status, string> = { not_yet: "Not yet", completed: "Completed", all: "Everyone" };
const PAGE = 100;

// The rows behind one badge's figure on the dashboard: schools, then a
// school's sections, then the students, each not done with why. The reasons
// are counted first, so a cause every student shares (a missing
// prerequisite) is the first thing a leader reads.
export function BadgeStudentsPage({ code }: { code: string }) {
  const { search, pathname } = useLocation();
  const school = search.get("school") ?? "";
  const section = search.get("section") ?? "";
  const statusParam = search.get("status");
  const status: Status = statusParam === "completed" || statusParam === "all" ? statusParam : "not_yet";
  const offset = Math.max(0, Number.parseInt(search.get("offset") ?? "0", 10) || 0);
  const query = new URLSearchParams({ status, limit: String(PAGE), offset: String(offset) });
  if (school) query.set("school", school);
  if (section) query.set("section", section);
  const { data, error, loading, reload } = useApi<BadgeDrilldown>(
    `/api/v1/reports/badges/${encodeURIComponent(code)}/students?${query.toString()}`,
  );
  useDocumentTitle(data ? `${data.badge} ${data.title}: students` : "Badge: students");

  const go = (next: { school?: string; section?: string; status?: Status; offset?: number }) => {
    const params = new URLSearchParams();
    const s = next.school ?? school;
    const sec = next.section ?? section;
    if (s) params.set("school", s);
    if (sec) params.set("section", sec);
    params.set("status", next.status ?? status);
    if (next.offset) params.set("offset", String(next.offset));
    navigate(`${pathname}?${params.toString()}`);
  };
  // Badges students chose outside a section have no section id: no section is chosen then.
  const sectionTitle = section ? data?.sections.find((s) => s.section_id === section)?.section : undefined;
  const scope = sectionTitle ?? (school || "all your schools");
  // Up the path the leader came down: dashboard, the badge, its school.
  const crumbs = [{ to: "/dashboard", label: "Completion dashboard" }];
  if (school || section) crumbs.push({ to: pathname, label: code });
  if (school && section) crumbs.push({ to: `${pathname}?school=${encodeURIComponent(school)}`, label: school });

  return (
    <div className="page">
      <PageHeader
        crumbs={crumbs}
        title={data ? `${data.badge} ${data.title}` : code}
        subtitle={data ? `${data.completed} of ${plural(data.students, "student")} have earned it (${data.students ? percent(data.completed / data.students) : "–"}).` : undefined}
      />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading the students…" />}
      {data && (
        <>
          <section className="card" aria-labelledby="why-title">
            <h2 id="why-title" className="section-title inline">
              Why students in {scope} are not done
            </h2>
            {data.reasons.length ? (
              <ul className="reason-list">
                {data.reasons.map((r) => (
                  <li key={r.reason}>
                    <strong>{plural(r.students, "student")}</strong>: {r.reason}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Every student here has earned it.</p>
            )}
          </section>

          {!school && data.schools.length > 0 && (
            <CountsTable
              id="drill-schools"
              title="By school"
              column="School"
              rows={data.schools.map((s) => ({
                key: s.school,
                label: s.school || "No school",
                href: `${pathname}?school=${encodeURIComponent(s.school)}`,
                open: () => go({ school: s.school, section: "", offset: 0 }),
                students: s.students,
                completed: s.completed,
              }))}
            />
          )}

          {school && !section && data.sections.length > 0 && (
            <CountsTable
              id="drill-sections"
              title={`Sections in ${school}`}
              column="Section"
              rows={data.sections.map((s) => ({
                key: s.section_id,
                label: s.section,
                // Badges chosen outside a section have no section to open.
                href: s.section_id ? `${pathname}?school=${encodeURIComponent(school)}&section=${encodeURIComponent(s.section_id)}` : undefined,
                open: () => go({ section: s.section_id, offset: 0 }),
                students: s.students,
                completed: s.completed,
              }))}
            />
          )}

          <section className="card" aria-labelledby="students-title">
            <div className="section-title-row wrap">
              <h2 id="students-title" className="section-title inline">
                Students in {scope}
              </h2>
              <div className="segmented" role="group" aria-label="Show students">
                {(["not_yet", "completed", "all"] as Status[]).map((s) => (
                  <button key={s} type="button" aria-pressed={status === s} onClick={() => go({ status: s, offset: 0 })}>
                    {STATUS_LABEL[s]}
                  </button>
                ))}
              </div>
            </div>
            {data.rows.length === 0 ? (
              <Empty title="No students to show" />
            ) : (
              <ul className="drill-students">
                {data.rows.map((r) => (
                  <li key={`${r.student_id} ${r.section_id}`} className="drill-student" data-student={r.student_id}>
                    <Link to={`/students/${encodeURIComponent(r.student_id)}/badges/${encodeURIComponent(data.badge)}`}>{r.student_name}</Link>
                    <span className="small muted">
                      {" "}
                      · {r.section} · {r.last_evidence_on ? `last evidence ${formatDate(r.last_evidence_on)}` : "no evidence yet"}
                    </span>
                    {r.completed ? (
                      <p className="small">Earned {formatDate(r.completed_on)}</p>
                    ) : (
                      <ul className="small remaining">
                        {r.remaining.map((item) => (
                          <li key={item}>{item}</li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {data.total > PAGE && (
              <p className="button-row">
                <span className="small muted">
                  {offset + 1}–{Math.min(offset + PAGE, data.total)} of {data.total}
                </span>
                <button type="button" className="btn btn-secondary btn-sm" disabled={offset === 0} onClick={() => go({ offset: Math.max(0, offset - PAGE) })}>
                  Previous
                </button>
                <button type="button" className="btn btn-secondary btn-sm" disabled={offset + PAGE >= data.total} onClick={() => go({ offset: offset + PAGE })}>
                  Next
                </button>
              </p>
            )}
          </section>
        </>
      )}
    </div>
  );
}

interface CountsRow {
  key: string;
  label: string;
  href?: string;
  open: () => void;
  students: number;
  completed: number;
}

// One level of the drill-down (schools, or a school's sections): each row
// opens the level below.
function CountsTable({ id, title, column, rows }: { id: string; title: string; column: string; rows: CountsRow[] }) {
  const titleId = `${id}-title`;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title inline">
        {title}
      </h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={titleId}>
        <table className="table" id={id}>
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col" className="num">Students</th>
              <th scope="col" className="num">Earned</th>
              <th scope="col" className="num">Rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">
                  {r.href ? (
                    <a
                      href={r.href}
                      onClick={(e) => {
                        e.preventDefault();
                        r.open();
                      }}
                    >
                      {r.label}
                    </a>
                  ) : (
                    r.label
                  )}
                </th>
                <td className="num">{r.students}</td>
                <td className="num">{r.completed}</td>
                <td className="num">{percent(r.completed / r.students)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
