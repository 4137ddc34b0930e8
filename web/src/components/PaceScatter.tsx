import { useMemo } from "react";
import type { ChartConfiguration } from "chart.js";
import { formatDate } from "../lib/format";
import { Link, navigate } from "../lib/router";
import type { PaceRow } from "../lib/types";
import { ChartFigure } from "./ChartFigure";

const studentPath = (row: PaceRow) => `/students/${encodeURIComponent(row.student_id)}`;

/**
 * The listed students as points: how far along the badge each is (share of
 * its CPEs counting) against how long they have been stalled, or, for the
 * students advancing rapidly, how many CPEs they gained in the window. A
 * point opens the student; in the table each name is a link, so the same
 * drill-down works from the keyboard.
 */
export function PaceScatter({ rows, flag, windowWeeks }: { rows: PaceRow[]; flag: "not_progressing" | "advancing_rapidly" | "behind_plan"; windowWeeks: number }) {
  const view = useMemo(() => {
    const stalled = flag === "not_progressing";
    const plan = flag === "behind_plan";
    // Never reached mastery: drawn at the far right, past the longest stall.
    const longest = Math.max(windowWeeks, ...rows.map((r) => r.weeks_stalled ?? 0));
    const xOf = (r: PaceRow) => (stalled ? (r.weeks_stalled ?? longest + 1) : plan ? r.pace_ratio : r.cpes_gained);
    const share = (r: PaceRow) => (r.cpes_needed ? Math.round((100 * Math.min(r.cpes_counting, r.cpes_needed)) / r.cpes_needed) : 0);
    const config: ChartConfiguration = {
      type: "scatter",
      data: {
        datasets: [
          {
            label: stalled ? "Not progressing" : plan ? "Behind plan" : "Advancing rapidly",
            data: rows.map((r) => ({ x: xOf(r), y: share(r) })),
            backgroundColor: stalled ? "rgba(163, 38, 42, 0.55)" : plan ? "rgba(138, 75, 0, 0.55)" : "rgba(23, 96, 63, 0.55)",
            borderColor: stalled ? "#a3262a" : plan ? "#8a4b00" : "#17603f",
            pointRadius: 5,
            pointHoverRadius: 7,
          },
        ],
      },
      options: {
        onClick: (_event, elements) => {
          const row = elements.length ? rows[elements[0].index] : undefined;
          if (row) navigate(studentPath(row));
        },
        onHover: (event, elements) => {
          const target = event.native?.target as HTMLElement | undefined;
          if (target) target.style.cursor = elements.length ? "pointer" : "default";
        },
        scales: {
          x: {
            title: {
              display: true,
              text: stalled ? "Weeks since a CPE last reached mastery" : plan ? "Pace against the plan (1 = on plan)" : `CPEs reached in the last ${windowWeeks} weeks`,
            },
            beginAtZero: true,
            ...(plan ? { max: 1 } : { ticks: { precision: 0 } }),
          },
          y: { title: { display: true, text: "Share of the badge's CPEs at mastery" }, min: 0, max: 100, ticks: { callback: (v) => `${v}%` } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => {
                const r = rows[item.dataIndex];
                if (!r) return "";
                const when = stalled
                  ? r.weeks_stalled === null
                    ? "no CPE at mastery yet"
                    : `stalled ${r.weeks_stalled} weeks`
                  : plan
                    ? `${r.pace_ratio}× the plan`
                    : `${r.cpes_gained} CPEs gained`;
                return `${r.student}, ${r.badge}: ${r.cpes_counting} of ${r.cpes_needed} CPEs, ${when}`;
              },
            },
          },
        },
      },
    };
    const far = rows.filter((r) => share(r) < 50).length;
    return {
      config,
      summary: stalled
        ? `${rows.length} students on this page; ${far} have fewer than half of the badge's CPEs at mastery. Open the table to reach each student.`
        : plan
          ? `${rows.length} students on this page behind the plan; ${rows.filter((r) => r.pace_ratio < 0.5).length} at less than half its pace. Open the table to reach each student.`
          : `${rows.length} students on this page advancing rapidly. Open the table to reach each student.`,
      table: {
        columns: ["Student", "Badge", "CPEs at mastery", stalled ? "Weeks stalled" : plan ? "Pace against plan" : "CPEs gained", "Last evidence"],
        rows: rows.map((r) => [
          <Link key="s" to={studentPath(r)}>
            {r.student}
          </Link>,
          `${r.badge} · ${r.badge_title}`,
          `${r.cpes_counting} of ${r.cpes_needed} (${share(r)}%)`,
          stalled ? (r.weeks_stalled === null ? "No CPE at mastery yet" : r.weeks_stalled) : plan ? `${r.pace_ratio}×` : r.cpes_gained,
          r.last_evidence ? formatDate(r.last_evidence) : "No evidence yet",
        ]),
      },
    };
  }, [rows, flag, windowWeeks]);
  return (
    <ChartFigure
      name="pace-scatter"
      title={flag === "not_progressing" ? "How far along, and how long stalled" : flag === "behind_plan" ? "How far along, and how far behind the plan" : "How far along, and how fast"}
      summary={view.summary}
      config={view.config}
      table={view.table}
      height={280}
    />
  );
}
