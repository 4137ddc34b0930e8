// How a team's domains moved over all its rounds of one instrument: one line
// per domain (its mean on the instrument's scale), a legend, and the same
// numbers as a table for screen readers and print.
import { useEffect, useState } from "react";
import { api, enc } from "../../lib/api";
import { useWidth } from "../Charts";
import { oneDecimal, type RoundResults } from "../../lib/toolkit";

// Distinct, colour-blind-friendly hues (Okabe–Ito), then dashes when reused.
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

interface Series {
  section: string;
  title: string;
  points: (number | null)[];
}

export function DomainMovement({ round }: { round: RoundResults }) {
  const [rounds, setRounds] = useState<{ label: string; id: string }[] | null>(null);
  const [series, setSeries] = useState<Series[]>([]);
  const [scale, setScale] = useState<[number, number]>([1, 5]);

  useEffect(() => {
    let live = true;
    (async () => {
      // Walk back through the chain of previous rounds, then read each one's results.
      const chain: RoundResults[] = [round];
      let previous = round.previous;
      while (previous && chain.length < 12) {
        try {
          const earlier = await api.get<RoundResults>(`/api/v1/rounds/${enc(previous)}/results`);
          chain.unshift(earlier);
          previous = earlier.previous;
        } catch {
          break; // not shown yet (an anonymous round still open), or gone
        }
      }
      if (!live) return;
      const domains = round.results.domains;
      setRounds(chain.map((r) => ({ id: r.id, label: r.label })));
      setSeries(
        domains.map((d) => ({
          section: d.section,
          title: d.title,
          points: chain.map((r) => r.results.domains.find((x) => x.section === d.section)?.mean ?? null),
        })),
      );
      const ends = domains.filter((d) => d.scale_min !== null && d.scale_max !== null);
      if (ends.length) setScale([Math.min(...ends.map((d) => d.scale_min!)), Math.max(...ends.map((d) => d.scale_max!))]);
    })();
    return () => {
      live = false;
    };
  }, [round]);

  if (!rounds || series.length === 0) return null;
  return (
    <section className="card" aria-labelledby="movement">
      <h2 className="section-title" id="movement">
        Movement per domain
      </h2>
      {rounds.length < 2 ? (
        <p className="muted">One round so far: the chart shows each domain's movement once the team has answered another round of this instrument.</p>
      ) : (
        <Chart rounds={rounds} series={series} scale={scale} />
      )}
      <table className="table movement-table" data-rounds={rounds.length}>
        <caption className="sr-only">Domain means per round</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            {rounds.map((r) => (
              <th scope="col" key={r.id}>
                {r.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {series.map((s) => (
            <tr key={s.section} data-domain={s.section}>
              <th scope="row">{s.title}</th>
              {s.points.map((p, i) => (
                <td key={i}>{oneDecimal(p)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Chart({ rounds, series, scale }: { rounds: { label: string; id: string }[]; series: Series[]; scale: [number, number] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const w = Math.max(width, 260);
  const h = 220;
  const left = 30;
  const right = 12;
  const top = 12;
  const bottom = 34;
  const [lo, hi] = scale;
  const plotW = w - left - right;
  const plotH = h - top - bottom;
  const x = (i: number) => left + (rounds.length === 1 ? plotW / 2 : (i * plotW) / (rounds.length - 1));
  const y = (v: number) => top + plotH - ((v - lo) / Math.max(1, hi - lo)) * plotH;
  const ticks: number[] = [];
  for (let v = lo; v <= hi; v++) ticks.push(v);
  return (
    <div ref={ref} className="chart">
      {width > 0 && (
        <svg width={w} height={h} role="img" aria-label="Domain means per round" className="chart-svg" data-chart="domain-movement">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={left} x2={w - right} y1={y(t)} y2={y(t)} className="gridline" />
              <text x={left - 8} y={y(t) + 4} textAnchor="end" className="axis-label">
                {t}
              </text>
            </g>
          ))}
          {rounds.map((r, i) => (
            <text key={r.id} x={x(i)} y={h - bottom + 18} textAnchor={i === 0 ? "start" : i === rounds.length - 1 ? "end" : "middle"} className="axis-label">
              {r.label.length > 18 ? r.label.slice(0, 17) + "…" : r.label}
            </text>
          ))}
          {series.map((s, k) => {
            const pts = s.points.map((p, i) => (p === null ? null : [x(i), y(p)] as const));
            const d = pts.reduce((path, p, i) => (p === null ? path : `${path}${path && pts[i - 1] ? " L" : " M"}${p[0].toFixed(1)},${p[1].toFixed(1)}`), "").trim();
            const color = COLORS[k % COLORS.length];
            return (
              <g key={s.section} data-series={s.section}>
                <path d={d} fill="none" stroke={color} strokeWidth={2} strokeDasharray={k >= COLORS.length ? "5 3" : undefined} />
                {pts.map((p, i) => p && <circle key={i} cx={p[0]} cy={p[1]} r={3.5} fill={color} data-point={i} />)}
              </g>
            );
          })}
        </svg>
      )}
      <ul className="chart-legend">
        {series.map((s, k) => (
          <li key={s.section}>
            <span className="legend-swatch" style={{ background: COLORS[k % COLORS.length] }} aria-hidden="true" /> {s.title}
          </li>
        ))}
      </ul>
    </div>
  );
}
