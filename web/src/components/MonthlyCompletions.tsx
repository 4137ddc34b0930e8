import { useMemo } from "react";
import type { ChartConfiguration } from "chart.js";
import { formatMonth } from "../lib/format";
import { ChartFigure } from "./ChartFigure";

/** Badges confirmed per month, as columns (or a table). */
export function MonthlyCompletions({ data }: { data: { month: string; completed: number }[] }) {
  const view = useMemo(() => {
    const labels = data.map((d) => formatMonth(d.month));
    const config: ChartConfiguration = {
      type: "bar",
      data: {
        labels,
        datasets: [{ label: "Badges confirmed", data: data.map((d) => d.completed), backgroundColor: "#3a45c8", borderRadius: 4, maxBarThickness: 48 }],
      },
      options: {
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } },
      },
    };
    const total = data.reduce((n, d) => n + d.completed, 0);
    const best = data.reduce((a, d) => (d.completed > a.completed ? d : a), data[0]);
    return {
      config,
      summary: best ? `${total} badges confirmed over ${data.length} months; most in ${formatMonth(best.month)} (${best.completed}).` : "No completions.",
      table: { columns: ["Month", "Badges confirmed"], rows: data.map((d, i) => [labels[i], d.completed]) },
    };
  }, [data]);
  return <ChartFigure name="monthly" title="Badges confirmed each month, across the groups shown" summary={view.summary} config={view.config} table={view.table} height={240} />;
}
