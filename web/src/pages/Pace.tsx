import { useMe } from "../lib/auth";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate, plural } from "../lib/format";
import { Link, navigate, useLocation } from "../lib/router";
import type { PaceReport, PaceRow } from "../lib/types";
import { Empty, ErrorNotice, PageHeader, Spinner } from "../components/ui";
import { PaceScatter } from "../components/PaceScatter";

type Flag = "not_progressing" | "advancing_rapidly" | "behind_plan";
type Sort = "weeks_stalled" | "last_evidence" | "pace_ratio";
const FLAGS: Flag[] = ["not_progressing", "advancing_rapidly", "behind_plan"];
const SORTS: Sort[] = ["weeks_stalled", "last_evidence", "pace_ratio"];
// Rows per page: a state's district list has hundreds of thousands.
const PAGE = 100;

// Who needs help: students not progressing on a badge (no CPE newly at
// mastery in the district's window) with why, and who is advancing rapidly.
// A list to act on, never a ranking by score: the only orders are weeks
// stalled and last evidence.
export function PacePage() {
  useDocumentTitle("Who needs help");
  const me = useMe();
  const { search, pathname } = useLocation();
  const flag: Flag = FLAGS.find((f) => f === search.get("flag")) ?? "not_progressing";
  const sort: Sort = SORTS.find((s) => s === search.get("sort")) ?? "weeks_stalled";
  const section = search.get("section");
  const offset = Math.max(0, Number.parseInt(search.get("offset") ?? "0", 10) || 0);
  const base = section
    ? `/api/v1/sections/${encodeURIComponent(section)}/pace`
    : me.role === "school_leader" && me.school
      ? `/api/v1/schools/${encodeURIComponent(me.school.id)}/pace`
      : me.district
        ? `/api/v1/districts/${encodeURIComponent(me.district.id)}/pace`
        : null;
  const { data, error, loading, reload } = useApi<PaceReport>(
    base && `${base}?flag=${flag}&sort=${sort}&offset=${offset}&limit=${PAGE}`,
  );

  // A new list or order starts at its first page.
  const go = (next: { flag?: Flag; sort?: Sort; offset?: number }) => {
    const params = new URLSearchParams(search);
    params.set("flag", next.flag ?? flag);
    params.set("sort", next.sort ?? sort);
    if (next.offset) params.set("offset", String(next.offset));
    else params.delete("offset");
    navigate(`${pathname}?${params.toString()}`, { replace: true });
  };

  return (
    <div className="page">
      <PageHeader
        title="Who needs help"
        subtitle={
          data
            ? `${data.scope.name} · ${plural(data.not_progressing, "badge enrolment")} with no CPE newly at mastery in ${plural(data.window_weeks, "week")} (since ${formatDate(data.window_start)}), ${data.behind_plan} behind the district's plan, ${data.advancing_rapidly} advancing rapidly.`
            : "Students stalled on a badge, and why."
        }
      />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Which students">
          <button type="button" aria-pressed={flag === "not_progressing"} onClick={() => go({ flag: "not_progressing" })}>
            Not progressing
          </button>
          <button type="button" aria-pressed={flag === "behind_plan"} onClick={() => go({ flag: "behind_plan" })}>
            Behind plan
          </button>
          <button type="button" aria-pressed={flag === "advancing_rapidly"} onClick={() => go({ flag: "advancing_rapidly" })}>
            Advancing rapidly
          </button>
        </div>
        <div className="segmented" role="group" aria-label="Order">
          <button type="button" aria-pressed={sort === "weeks_stalled"} onClick={() => go({ sort: "weeks_stalled" })}>
            Longest stalled first
          </button>
          <button type="button" aria-pressed={sort === "last_evidence"} onClick={() => go({ sort: "last_evidence" })}>
            Oldest evidence first
          </button>
          <button type="button" aria-pressed={sort === "pace_ratio"} onClick={() => go({ sort: "pace_ratio" })}>
            Slowest against plan first
          </button>
        </div>
      </div>
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading the list…" />}
      {data && data.rows.length === 0 && (
        <Empty title={flag === "not_progressing" ? "Nobody is stalled" : flag === "behind_plan" ? "Nobody is behind the plan" : "Nobody is advancing rapidly"}>
          {plural(data.enrolments, "badge enrolment")} checked.
        </Empty>
      )}
      {data && data.rows.length > 0 && <PaceScatter rows={data.rows} flag={flag} windowWeeks={data.window_weeks} />}
      {data && data.rows.length > 0 && (
        <div className="table-scroll">
          <table className="table pace-table">
            <caption className="sr-only">
              {flag === "not_progressing" ? "Students not progressing, and why" : flag === "behind_plan" ? "Students behind the district's plan" : "Students advancing rapidly"}
            </caption>
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col">Section</th>
                <th scope="col">Badge</th>
                <th scope="col">Last evidence</th>
                <th scope="col">{flag === "not_progressing" ? "Weeks stalled" : "CPEs gained"}</th>
                <th scope="col">Pace against plan</th>
                {flag === "not_progressing" && <th scope="col">Why it is not done</th>}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <PaceLine key={`${row.student_id} ${row.section_id} ${row.badge}`} row={row} flag={flag} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > data.rows.length && (
        <nav className="toolbar pager" aria-label="Pages of the list">
          <p>
            Showing {data.offset + 1}–{data.offset + data.rows.length} of {data.total}
          </p>
          <button type="button" disabled={data.offset === 0} onClick={() => go({ offset: Math.max(0, data.offset - PAGE) })}>
            Previous page
          </button>
          <button
            type="button"
            disabled={data.offset + data.rows.length >= data.total}
            onClick={() => go({ offset: data.offset + PAGE })}
          >
            Next page
          </button>
        </nav>
      )}
    </div>
  );
}

function PaceLine({ row, flag }: { row: PaceRow; flag: Flag }) {
  return (
    <tr data-student={row.student_id} data-badge={row.badge}>
      <th scope="row">
        <Link to={`/students/${encodeURIComponent(row.student_id)}`}>{row.student}</Link>
      </th>
      <td>{row.section}</td>
      <td>
        {row.badge} · {row.badge_title}
      </td>
      <td>{row.last_evidence ? formatDate(row.last_evidence) : "No evidence yet"}</td>
      <td>
        {flag === "not_progressing"
          ? row.weeks_stalled === null
            ? "No CPE at mastery yet"
            : plural(row.weeks_stalled, "week")
          : `${row.cpes_gained} (section median ${row.section_median})`}
      </td>
      <td data-pace-ratio={row.pace_ratio}>
        {row.award_state === "confirmed" ? "Earned" : `${paceWords(row.pace_ratio)} · ${row.cpes_per_week.toFixed(2)} CPEs a week; plan ${row.expected_cpes_per_week.toFixed(2)} (${plural(row.plan_weeks, "week")} a badge)`}
      </td>
      {flag === "not_progressing" && (
        <td>
          <ul className="pace-why">
            {row.why.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </td>
      )}
    </tr>
  );
}

/** A pace ratio in words: "0.5× the plan". */
function paceWords(ratio: number): string {
  if (ratio === 0) return "No CPE reached in the window";
  return `${ratio.toFixed(ratio < 10 ? 2 : 0).replace(/\.?0+$/, "")}× the plan`;
}
