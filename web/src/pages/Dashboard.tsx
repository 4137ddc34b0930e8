import { useMemo } from "react";
import { useMe } from "../lib/auth";
import { useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatMonth, percent, plural } from "../lib/format";
import { Link, navigate, useLocation } from "../lib/router";
import type { Completion, Section } from "../lib/types";
import { ErrorNotice, PageHeader, Spinner } from "../components/ui";
import { CompletionBars, MonthlyColumns, type BarDatum } from "../components/Charts";

type By = "badge" | "school" | "course";
const BY_LABEL: Record<By, string> = { badge: "Badge", school: "School", course: "Course" };

export function DashboardPage() {
  useDocumentTitle("Completion dashboard");
  const me = useMe();
  const { search, pathname } = useLocation();
  const byParam = search.get("by");
  const by: By = byParam === "school" || byParam === "course" ? byParam : "badge";
  const { data, error, loading, reload } = useApi<Completion>(`/api/v1/reports/completion?by=${by}`);
  const sections = useApi<Section[]>("/api/v1/sections");
  const { catalog } = useCatalog();

  const bars: BarDatum[] = useMemo(
    () =>
      (data?.groups ?? []).map((g) => ({
        key: g.group,
        label: by === "badge" ? `${g.group} · ${catalog?.badges.find((b) => b.code === g.group)?.title ?? ""}` : g.group,
        rate: g.completion_rate,
        completed: g.completed,
        total: g.badge_enrolments ?? 0,
        suppressed: g.suppressed,
      })),
    [data, catalog, by],
  );

  const months = useMemo(() => {
    const sum = new Map<string, number>();
    for (const g of data?.groups ?? []) for (const m of g.by_month ?? []) sum.set(m.month, (sum.get(m.month) ?? 0) + m.completed);
    const keys = [...sum.keys()].sort();
    if (!keys.length) return [];
    // Fill the months with no completions, so the axis is even.
    const out: { month: string; completed: number }[] = [];
    let [y, m] = keys[0].split("-").map(Number);
    const [ey, em] = keys[keys.length - 1].split("-").map(Number);
    while (y < ey || (y === ey && m <= em)) {
      const key = `${y}-${String(m).padStart(2, "0")}`;
      out.push({ month: key, completed: sum.get(key) ?? 0 });
      m++;
      if (m > 12) {
        m = 1;
        y++;
      }
    }
    return out;
  }, [data]);

  const shown = data?.groups.filter((g) => !g.suppressed) ?? [];
  const hidden = data?.groups.filter((g) => g.suppressed) ?? [];
  const completed = shown.reduce((s, g) => s + (g.completed ?? 0), 0);
  const working = shown.reduce((s, g) => s + (g.badge_enrolments ?? 0), 0);
  const min = data?.minimum_group_size ?? 10;
  const unit = "badge enrolments";
  const suppressedText = `Fewer than ${min} students — not shown`;

  return (
    <div className="page">
      <PageHeader
        title="Completion dashboard"
        subtitle={`${me.school ? me.school.name + " · " : ""}Badge completion for the students you can see. Groups of fewer than ${min} students are not shown, so no one can be singled out.`}
      />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Group completion by">
          {(["badge", "school", "course"] as By[]).map((b) => (
            <button key={b} type="button" aria-pressed={by === b} onClick={() => navigate(`${pathname}?by=${b}`, { replace: true })}>
              By {BY_LABEL[b].toLowerCase()}
            </button>
          ))}
        </div>
      </div>
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading the report…" />}
      {data && (
        <>
          <section className="summary" aria-label="Totals">
            <div className="stat">
              <span className="stat-value">{completed}</span>
              <span className="stat-label">badges completed</span>
            </div>
            <div className="stat">
              <span className="stat-value">{working}</span>
              <span className="stat-label">{unit}</span>
            </div>
            <div className="stat">
              <span className="stat-value">{working ? percent(completed / working) : "–"}</span>
              <span className="stat-label">completion overall</span>
            </div>
            <div className="stat">
              <span className="stat-value">{shown.length}</span>
              <span className="stat-label">
                groups shown{hidden.length ? `, ${hidden.length} not shown` : ""}
              </span>
            </div>
          </section>

          <div className="dash-grid">
            <section className="card" aria-labelledby="rate-title">
              <h2 id="rate-title" className="section-title inline">
                Completion rate by {BY_LABEL[by].toLowerCase()}
              </h2>
              <p className="small muted">{by === "badge" ? "Share of each badge's students who have earned it." : "Share of badge enrolments (a student working on a badge) that are complete."}</p>
              {bars.length ? (
                <CompletionBars data={bars} title={`Completion rate by ${BY_LABEL[by].toLowerCase()}`} suppressedText={suppressedText} />
              ) : (
                <p className="muted">No groups to show yet.</p>
              )}
              <details className="data-table">
                <summary>Show the numbers as a table</summary>
                <div className="table-scroll">
                  <table className="table">
                    <caption className="sr-only">Completion by {BY_LABEL[by].toLowerCase()}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{BY_LABEL[by]}</th>
                        <th scope="col" className="num">
                          Working
                        </th>
                        <th scope="col" className="num">
                          Completed
                        </th>
                        <th scope="col" className="num">
                          Rate
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.groups.map((g) => (
                        <tr key={g.group} data-group={g.group}>
                          <th scope="row">{bars.find((b) => b.key === g.group)?.label ?? g.group}</th>
                          {g.suppressed ? (
                            <td colSpan={3} className="muted">
                              {suppressedText}
                            </td>
                          ) : (
                            <>
                              <td className="num">{g.badge_enrolments}</td>
                              <td className="num">{g.completed}</td>
                              <td className="num">{percent(g.completion_rate)}</td>
                            </>
                          )}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </section>

            <section className="card" aria-labelledby="month-title">
              <h2 id="month-title" className="section-title inline">
                Completions by month
              </h2>
              <p className="small muted">Badges confirmed each month, across the groups shown.</p>
              {months.length ? (
                <>
                  <MonthlyColumns data={months} title={`Completions by month: ${months.map((m) => `${formatMonth(m.month)} ${m.completed}`).join(", ")}`} />
                </>
              ) : (
                <p className="muted">No completions yet.</p>
              )}
            </section>
          </div>
        </>
      )}

      <section className="dash-sections" aria-labelledby="sections-title">
        <div className="section-title-row">
          <h2 id="sections-title" className="section-title">
            Sections
          </h2>
          <Link to="/sections" className="small">
            All sections
          </Link>
        </div>
        {sections.data && (
          <div className="table-scroll card flush">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Section</th>
                  <th scope="col">School</th>
                  <th scope="col">Teacher</th>
                  <th scope="col" className="num">
                    Students
                  </th>
                  <th scope="col">Badges</th>
                </tr>
              </thead>
              <tbody>
                {sections.data.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <Link to={`/sections/${encodeURIComponent(s.id)}`}>{s.title}</Link>
                    </th>
                    <td>{s.school}</td>
                    <td>{s.teachers.join(", ")}</td>
                    <td className="num">{s.student_count}</td>
                    <td className="nowrap">{plural(s.badges.length, "badge")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
