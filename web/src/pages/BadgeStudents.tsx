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
            <section className="card" aria-labelledby="schools-title">
              <h2 id="schools-title" className="section-title inline">
                By school
              </h2>
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="schools-title">
                <table className="table" id="drill-schools">
                  <thead>
                    <tr>
                      <th scope="col">School</th>
                      <th scope="col" className="num">Students</th>
                      <th scope="col" className="num">Earned</th>
                      <th scope="col" className="num">Rate</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.schools.map((s) => (
                      <tr key={s.school}>
                        <th scope="row">
                          <a href={`${pathname}?school=${encodeURIComponent(s.school)}`} onClick={(e) => { e.preventDefault(); go({ school: s.school, section: "", offset: 0 }); }}>
                            {s.school || "No school"}
                          </a>
                        </th>
                        <td className="num">{s.students}</td>
                        <td className="num">{s.completed}</td>
                        <td className="num">{percent(s.completed / s.students)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}

          {school && !section && data.sections.length > 0 && (
            <section className="card" aria-labelledby="sections-title">
              <h2 id="sections-title" className="section-title inline">
                Sections in {school}
              </h2>
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="sections-title">
                <table className="table" id="drill-sections">
                  <thead>
                    <tr>
                      <th scope="col">Section</th>
                      <th scope="col" className="num">Students</th>
                      <th scope="col" className="num">Earned</th>
                      <th scope="col" className="num">Rate</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.sections.map((s) => (
                      <tr key={s.section_id}>
                        <th scope="row">
                          {s.section_id ? (
                            <a href={`${pathname}?school=${encodeURIComponent(school)}&section=${encodeURIComponent(s.section_id)}`} onClick={(e) => { e.preventDefault(); go({ section: s.section_id, offset: 0 }); }}>
                              {s.section}
                            </a>
                          ) : (
                            s.section
                          )}
                        </th>
                        <td className="num">{s.students}</td>
                        <td className="num">{s.completed}</td>
                        <td className="num">{percent(s.completed / s.students)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
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
