import { useEffect, useRef, useState, type RefObject } from "react";
import { formatMonth, percent } from "../lib/format";
import { navigate } from "../lib/router";

export function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export interface BarDatum {
  key: string;
  label: string;
  rate?: number;
  completed?: number;
  total: number;
  suppressed: boolean;
}

/**
 * Completion rate per group: label above, bar below, value on the right.
 * With `linkTo`, each shown bar is a link to the rows behind it (the chart is
 * then a group of links rather than one image, so each can be reached).
 */
export function CompletionBars({
  data,
  title,
  suppressedText,
  linkTo,
}: {
  data: BarDatum[];
  title: string;
  suppressedText: string;
  linkTo?: (key: string) => string;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const rowH = 50;
  const height = data.length * rowH + 4;
  const w = Math.max(width, 260);
  const barW = w - 2;
  return (
    <div ref={ref} className="chart">
      {width > 0 && (
        <svg width={w} height={height} role={linkTo ? "group" : "img"} aria-label={title} className="chart-svg" data-chart="completion">
          {data.map((d, i) => {
            const y = i * rowH;
            const row = (
              <g key={d.key} className={d.suppressed ? "bar-row suppressed" : "bar-row"} data-group={d.key}>
                <text x={2} y={y + 16} className="bar-label">
                  {truncate(d.label, Math.floor((w - 150) / 7))}
                </text>
                {d.suppressed ? (
                  <>
                    <rect x={1} y={y + 24} width={barW - 2} height={16} rx={5} className="bar-suppressed" />
                    <text x={10} y={y + 36} className="bar-suppressed-text">
                      {suppressedText}
                    </text>
                  </>
                ) : (
                  <>
                    <text x={w - 2} y={y + 16} textAnchor="end" className="bar-value">
                      {percent(d.rate)} · {d.completed} of {d.total}
                    </text>
                    <rect x={1} y={y + 24} width={barW - 2} height={16} rx={5} className="bar-track" />
                    <rect x={1} y={y + 24} width={Math.max(d.rate ? 6 : 0, (barW - 2) * (d.rate ?? 0))} height={16} rx={5} className="bar-fill" />
                  </>
                )}
              </g>
            );
            if (!linkTo || d.suppressed) return row;
            const href = linkTo(d.key);
            return (
              <a
                key={d.key}
                href={href}
                className="bar-link"
                onClick={(e) => {
                  e.preventDefault();
                  navigate(href);
                }}
              >
                {/* The whole row takes the click, not only its painted parts. */}
                <rect x={0} y={y} width={w} height={rowH} className="bar-hit" />
                {row}
              </a>
            );
          })}
        </svg>
      )}
    </div>
  );
}

/** Completions per month as columns. */
export function MonthlyColumns({ data, title }: { data: { month: string; completed: number }[]; title: string }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const w = Math.max(width, 260);
  const h = 240;
  const left = 34;
  const bottom = 36;
  const top = 20;
  const max = Math.max(1, ...data.map((d) => d.completed));
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const plotW = w - left - 8;
  const plotH = h - top - bottom;
  const slot = data.length ? plotW / data.length : plotW;
  const colW = Math.min(48, slot * 0.62);
  const every = slot < 44 ? Math.ceil(44 / slot) : 1;
  const ticks: number[] = [];
  for (let v = 0; v <= yMax; v += step) ticks.push(v);
  return (
    <div ref={ref} className="chart">
      {width > 0 && (
        <svg width={w} height={h} role="img" aria-label={title} className="chart-svg" data-chart="monthly">
          {ticks.map((t) => {
            const y = top + plotH - (t / yMax) * plotH;
            return (
              <g key={t}>
                <line x1={left} x2={w - 4} y1={y} y2={y} className="gridline" />
                <text x={left - 8} y={y + 4} textAnchor="end" className="axis-label">
                  {t}
                </text>
              </g>
            );
          })}
          {data.map((d, i) => {
            const x = left + i * slot + (slot - colW) / 2;
            const bh = (d.completed / yMax) * plotH;
            const y = top + plotH - bh;
            const [label, year] = formatMonth(d.month).split(" ");
            return (
              <g key={d.month}>
                <rect x={x} y={y} width={colW} height={Math.max(bh, d.completed ? 2 : 0)} rx={4} className="col-fill" />
                {d.completed > 0 && (
                  <text x={x + colW / 2} y={y - 6} textAnchor="middle" className="col-value">
                    {d.completed}
                  </text>
                )}
                {i % every === 0 && (
                  <>
                    <text x={x + colW / 2} y={h - bottom + 16} textAnchor="middle" className="axis-label">
                      {label}
                    </text>
                    <text x={x + colW / 2} y={h - bottom + 30} textAnchor="middle" className="axis-label axis-year">
                      {year}
                    </text>
                  </>
                )}
              </g>
            );
          })}
          <line x1={left} x2={w - 4} y1={top + plotH} y2={top + plotH} className="axis" />
        </svg>
      )}
    </div>
  );
}

function niceStep(max: number): number {
  const raw = max / 4;
  const mag = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, Math.max(4, n - 1)).trimEnd() + "…" : s;
}
