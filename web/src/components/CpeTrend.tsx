import { useMemo, useState } from "react";
import type { ChartConfiguration } from "chart.js";
import { scaleOf } from "../lib/catalog";
import { formatDate, kindLabel } from "../lib/format";
import type { Catalog, Evidence } from "../lib/types";
import { ChartFigure, SERIES_COLOURS } from "./ChartFigure";

const DAY_MS = 86_400_000;

function dayOf(date: string): number {
  return Date.parse(date.slice(0, 10) + "T00:00:00Z");
}

/**
 * A teacher's view of one badge's evidence over time: a line per CPE, each
 * point a level demonstrated on a day. Only the evidence that stands is drawn
 * (voided facts and facts since corrected are left out), so the line is the
 * history the mastery rule reads.
 */
export function CpeTrend({ evidence, catalog }: { evidence: Evidence[]; catalog: Catalog }) {
  const standing = useMemo(() => evidence.filter((e) => !e.voided && e.corrected_by === null && e.badge), [evidence]);
  const badges = useMemo(() => [...new Set(standing.map((e) => e.badge as string))].sort(), [standing]);
  const [picked, setPicked] = useState<string>("");
  const code = badges.includes(picked) ? picked : (badges[0] ?? "");
  const badge = catalog.badges.find((b) => b.code === code);
  const scale = scaleOf(catalog, badge);

  const view = useMemo(() => {
    if (!badge || !scale) return null;
    const rank = new Map(scale.levels.map((l, i) => [l.id, i]));
    const series = badge.cpes
      .map((cpe) => ({
        cpe,
        points: standing
          .filter((e) => e.cpe === cpe.id && rank.has(e.level))
          .map((e) => ({ x: dayOf(e.demonstrated_on), y: rank.get(e.level) as number, e }))
          .sort((a, b) => a.x - b.x || a.e.id - b.e.id),
      }))
      .filter((s) => s.points.length > 0);
    const config: ChartConfiguration = {
      type: "line",
      data: {
        datasets: series.map((s, i) => ({
          label: `${s.cpe.id} ${s.cpe.label}`,
          data: s.points.map((p) => ({ x: p.x, y: p.y })),
          borderColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
          backgroundColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
          pointRadius: 4,
          stepped: false,
        })),
      },
      options: {
        parsing: false,
        scales: {
          x: {
            type: "linear",
            ticks: { callback: (v) => formatDate(new Date(Number(v)).toISOString()), maxTicksLimit: 6 },
            suggestedMin: Math.min(...series.flatMap((s) => s.points.map((p) => p.x))) - 3 * DAY_MS,
            suggestedMax: Math.max(...series.flatMap((s) => s.points.map((p) => p.x))) + 3 * DAY_MS,
          },
          y: {
            min: 0,
            max: scale.levels.length - 1,
            ticks: { stepSize: 1, callback: (v) => scale.levels[Number(v)]?.label ?? "" },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const p = series[item.datasetIndex]?.points[item.dataIndex];
                return p ? `${p.e.cpe}: ${p.e.level_label ?? p.e.level} on ${formatDate(p.e.demonstrated_on)}` : "";
              },
            },
          },
        },
      },
    };
    const mastery = scale.levels.filter((l) => l.mastery).map((l) => l.label);
    const latest = series.map((s) => {
      const last = s.points[s.points.length - 1];
      return `${s.cpe.id} ${last.e.level_label ?? scale.levels[last.y].label}`;
    });
    return {
      config,
      summary: `${series.length} CPEs with evidence; latest levels: ${latest.join(", ")}.${mastery.length ? ` Mastery is ${mastery.join(" or ")}.` : ""}`,
      table: {
        columns: ["CPE", "Demonstrated", "Level", "Kind"],
        rows: series.flatMap((s) =>
          s.points.map((p) => [`${s.cpe.id} ${s.cpe.label}`, formatDate(p.e.demonstrated_on), p.e.level_label ?? scale.levels[p.y].label, kindLabel(p.e.kind)]),
        ),
      },
    };
  }, [badge, scale, standing]);

  if (badges.length === 0 || !view) return null;
  return (
    <ChartFigure name="cpe-trend" title={`Levels over time: ${code} ${badge?.title ?? ""}`} summary={view.summary} config={view.config} table={view.table} height={300}>
      {badges.length > 1 && (
        <div className="field field-inline chart-picker">
          <label htmlFor="trend-badge">Badge on the chart</label>
          <select id="trend-badge" value={code} onChange={(e) => setPicked(e.target.value)}>
            {badges.map((b) => (
              <option key={b} value={b}>
                {b} {catalog.badges.find((x) => x.code === b)?.title ?? ""}
              </option>
            ))}
          </select>
        </div>
      )}
    </ChartFigure>
  );
}
