import { useEffect, useRef, useState, type RefObject } from "react";
import { percent } from "../lib/format";
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

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, Math.max(4, n - 1)).trimEnd() + "…" : s;
}
