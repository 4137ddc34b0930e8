import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { Chart, ChartConfiguration } from "chart.js";

// Chart.js is loaded when the first chart is drawn, so pages without charts
// (a family's phone) do not download it; only the parts our charts use are
// registered.
let chartJs: Promise<typeof Chart> | undefined;
function loadChartJs(): Promise<typeof Chart> {
  chartJs ??= import("chart.js").then((m) => {
    m.Chart.register(
      m.BarController,
      m.BarElement,
      m.CategoryScale,
      m.Legend,
      m.LinearScale,
      m.LineController,
      m.LineElement,
      m.PointElement,
      m.ScatterController,
      m.Tooltip,
    );
    return m.Chart;
  });
  return chartJs;
}

export interface ChartTable {
  columns: string[];
  rows: ReactNode[][];
}

/** A palette readable on white and distinct in greyscale order. */
export const SERIES_COLOURS = ["#3a45c8", "#17603f", "#a3262a", "#8a4b00", "#0f5e78", "#6b2fa3", "#545e72", "#b0186b"];

/**
 * A Chart.js chart with its data as a table one press away. A canvas is one
 * picture to a screen reader, so the canvas carries a summary as its label
 * and the table is the accessible form of the numbers: "Show as table"
 * replaces the picture with it (and the choice is kept while the page lives).
 */
export function ChartFigure({
  name,
  title,
  summary,
  config,
  table,
  height = 260,
  children,
}: {
  /** data-chart, for tests and styles. */
  name: string;
  title: string;
  /** One sentence a screen reader hears for the picture. */
  summary: string;
  config: ChartConfiguration;
  table: ChartTable;
  height?: number;
  children?: ReactNode;
}) {
  const [asTable, setAsTable] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);
  const headingId = useId();

  useEffect(() => {
    if (asTable || !canvas.current) return;
    const el = canvas.current;
    let chart: Chart | undefined;
    let gone = false;
    void loadChartJs().then((ChartJs) => {
      if (gone) return;
      const font = getComputedStyle(document.documentElement).getPropertyValue("--font").trim();
      if (font) ChartJs.defaults.font.family = font;
      ChartJs.defaults.color = "#3c4660";
      chart = new ChartJs(el, {
        ...config,
        options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
      });
    });
    return () => {
      gone = true;
      chart?.destroy();
    };
  }, [config, asTable]);

  return (
    <figure className="chart-figure" data-chart={name} aria-labelledby={headingId}>
      <div className="chart-figure-head">
        <figcaption id={headingId} className="chart-figure-title">
          {title}
        </figcaption>
        <button type="button" className="btn btn-sm btn-secondary" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {asTable ? "Show as chart" : "Show as table"}
        </button>
      </div>
      {children}
      {asTable ? (
        <div className="table-scroll">
          <table className="table chart-table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div className="chart-canvas" style={{ height }}>
          <canvas ref={canvas} role="img" aria-label={`${title}. ${summary}`} />
        </div>
      )}
    </figure>
  );
}
