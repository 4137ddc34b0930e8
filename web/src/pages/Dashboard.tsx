import { useMemo } from "react";
import { useMe } from "../lib/auth";
import { useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { percent, plural } from "../lib/format";
import { Link, navigate, useLocation } from "../lib/router";
import type { Completion, Equity, EquityField, Section } from "../lib/types";
import { ErrorNotice, PageHeader, Spinner } from "../components/ui";
import { CompletionBars, type BarDatum } from "../components/Charts";
import { MonthlyCompletions } from "../components/MonthlyCompletions";

type By = "badge" | "school" | "course";
const BY_LABEL: Record<By, string> = { badge: "Badge", school: "School", course: "Course" };

const FIELDS: { value: EquityField; label: string }[] = [
  { value: "gender", label: "Gender" },
  { value: "race_ethnicity", label: "Race and ethnicity" },
  { value: "english_learner", label: "English learner" },
  { value: "disability", label: "Disability (IEP or 504)" },
  { value: "economically_disadvantaged", label: "Economically disadvantaged" },
];

// "+4 points", "−12 points", "same": a gap in percentage points, in words.
function gapText(gap: number | undefined): string {
  if (gap === undefined) return "";
  const points = Math.round(gap * 100);
  if (points === 0) return "same as everyone";
  return `${points > 0 ? "+" : "−"}${Math.abs(points)} points`;
}

// Completion broken down by one demographic field, with each group's gap to
// everyone. The server hides small groups (and enough others that they
// cannot be worked out); this only shows what it is given.
function EquityCard() {
  const { search, pathname } = useLocation();
  const fieldParam = search.get("field");
  const field: EquityField = FIELDS.some((f) => f.value === fieldParam) ? (fieldParam as EquityField) : "gender";
  const { data, error, loading, reload } = useApi<Equity>(`/api/v1/reports/equity?field=${field}`);
  const min = data?.minimum_group_size ?? 10;
  const suppressedText = `Not shown (fewer than ${min} students, or it would reveal such a group)`;
  const bars: BarDatum[] = (data?.groups ?? []).map((g) => ({
    key: g.group,
    label: g.group,
    rate: g.completion_rate,
    completed: g.completed,
    total: g.badge_enrolments ?? 0,
    suppressed: g.suppressed,
  }));
  const label = FIELDS.find((f) => f.value === field)?.label ?? field;
  const download = (format: string) => `/api/v1/reports/equity?field=${field}&format=${format}`;
  const choose = (value: string) => {
    const next = new URLSearchParams(search);
    next.set("field", value);
    navigate(`${pathname}?${next.toString()}`, { replace: true });
  };
  return (
    <section className="card equity" aria-labelledby="equity-title">
      <div className="section-title-row">
        <h2 id="equity-title" className="section-title inline">
          Is it fair? Completion by group
        </h2>
        <label className="inline-field">
          <span>Break down by</span>
          <select id="equity-field" value={field} onChange={(e) => choose(e.target.value)}>
            {FIELDS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="small muted">
        Each group’s share of badges completed, and how far it is from everyone’s. “Unknown” counts students whose record does not say.
      </p>
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading the breakdown…" />}
      {data && !data.overall && <p className="muted">Too few students to break down without singling anyone out.</p>}
      {data && data.overall && (
        <>
          <CompletionBars data={bars} title={`Completion rate by ${label.toLowerCase()}`} suppressedText={suppressedText} />
          <div className="table-scroll" tabIndex={0} role="region" aria-label={`Completion by ${label.toLowerCase()}, table`}>
            <table className="table" id="equity-table">
              <caption className="sr-only">Completion by {label.toLowerCase()}</caption>
              <thead>
                <tr>
                  <th scope="col">{label}</th>
                  <th scope="col" className="num">Students</th>
                  <th scope="col" className="num">Completed</th>
                  <th scope="col" className="num">Not yet</th>
                  <th scope="col" className="num">Rate</th>
                  <th scope="col">Gap to everyone</th>
                  <th scope="col" className="num">Not progressing</th>
                </tr>
              </thead>
              <tbody>
                {data.groups.map((g) => (
                  <tr key={g.group} data-equity-group={g.group}>
                    <th scope="row">{g.group}</th>
                    {g.suppressed ? (
                      <td colSpan={6} className="muted">
                        {suppressedText}
                      </td>
                    ) : (
                      <>
                        <td className="num">{g.students}</td>
                        <td className="num">{g.completed}</td>
                        <td className="num">{g.not_yet}</td>
                        <td className="num">{percent(g.completion_rate)}</td>
                        <td>{gapText(g.gap)}</td>
                        <td className="num" data-not-progressing={g.not_progressing}>
                          {g.not_progressing} ({percent(g.not_progressing_rate)})
                        </td>
                      </>
                    )}
                  </tr>
                ))}
                <tr className="total-row">
                  <th scope="row">Everyone</th>
                  <td className="num">{data.overall.students}</td>
                  <td className="num">{data.overall.completed}</td>
                  <td className="num">{data.overall.not_yet}</td>
                  <td className="num">{percent(data.overall.completion_rate)}</td>
                  <td></td>
                  <td className="num">
                    {data.overall.not_progressing} ({percent(data.overall.not_progressing_rate)})
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
          <p className="button-row">
            <a className="btn btn-secondary btn-sm" href={download("csv")} download>
              Download CSV<span className="sr-only">, completion by {label.toLowerCase()}</span>
            </a>
            <a className="btn btn-secondary btn-sm" href={download("xlsx")} download>
              Download Excel<span className="sr-only">, completion by {label.toLowerCase()}</span>
            </a>
          </p>
        </>
      )}
    </section>
  );
}

interface SupportTally {
  started: number;
  open: number;
  closed: number;
  reached_mastery: number;
  median_days_to_mastery: number | null;
}

// Did the support work? Per kind of intervention, how many students then
// reached mastery of what it was about, and how long that took.
function InterventionsCard() {
  const { data, error, reload } = useApi<{ kinds: (SupportTally & { kind: string; label: string })[]; total: SupportTally }>("/api/v1/reports/interventions");
  return (
    <section className="card equity" aria-labelledby="support-title">
      <h2 id="support-title" className="section-title inline">
        Did the support work?
      </h2>
      <p className="small muted">Interventions teachers recorded, and how many students then reached mastery of the badge or CPE the support was about.</p>
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {data && data.total.started === 0 && <p className="muted">No interventions recorded yet.</p>}
      {data && data.total.started > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="support-title">
          <table className="table" id="support-table">
            <thead>
              <tr>
                <th scope="col">Support</th>
                <th scope="col" className="num">Started</th>
                <th scope="col" className="num">Still open</th>
                <th scope="col" className="num">Reached mastery</th>
                <th scope="col" className="num">Median days to mastery</th>
              </tr>
            </thead>
            <tbody>
              {[...data.kinds.filter((k) => k.started > 0), { ...data.total, kind: "total", label: "All support" }].map((k) => (
                <tr key={k.kind} data-kind={k.kind} className={k.kind === "total" ? "total-row" : undefined}>
                  <th scope="row">{k.label}</th>
                  <td className="num">{k.started}</td>
                  <td className="num">{k.open}</td>
                  <td className="num">
                    {k.reached_mastery} ({percent(k.reached_mastery / k.started)})
                  </td>
                  <td className="num">{k.median_days_to_mastery ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

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
            <button
              key={b}
              type="button"
              aria-pressed={by === b}
              onClick={() => {
                const next = new URLSearchParams(search);
                next.set("by", b);
                navigate(`${pathname}?${next.toString()}`, { replace: true });
              }}
            >
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
                <CompletionBars
                  data={bars}
                  title={`Completion rate by ${BY_LABEL[by].toLowerCase()}`}
                  suppressedText={suppressedText}
                  linkTo={by === "badge" ? (code) => `/dashboard/badges/${encodeURIComponent(code)}` : undefined}
                />
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
                          <th scope="row">
                            {by === "badge" ? (
                              <Link to={`/dashboard/badges/${encodeURIComponent(g.group)}`}>{bars.find((b) => b.key === g.group)?.label ?? g.group}</Link>
                            ) : (
                              (bars.find((b) => b.key === g.group)?.label ?? g.group)
                            )}
                          </th>
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
              {months.length ? (
                <MonthlyCompletions data={months} />
              ) : (
                <p className="muted">No completions yet.</p>
              )}
            </section>
          </div>
        </>
      )}

      <EquityCard />
      <InterventionsCard />

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
