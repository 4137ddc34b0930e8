// How a team's domains moved over all its closed rounds of one instrument:
// one line per domain (its median on the instrument's scale), a legend that
// picks out one line, and the same numbers as a table for screen readers and
// print. The rounds come from the district's list of rounds the caller leads
// (same team, same instrument, closed, plus the round on screen), oldest
// first; without that list, from the chain of previous rounds.
import { useEffect, useState } from "react";
import { api, enc } from "../../lib/api";
import { useMe } from "../../lib/auth";
import { useWidth } from "../Charts";
import { oneDecimal, type Round, type RoundResults } from "../../lib/toolkit";

// Distinct, colour-blind-friendly hues (Okabe–Ito), then dashes when reused.
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D00"];

interface Series {
  section: string;
  title: string;
  points: (number | null)[];
}

interface RoundColumn {
  id: string;
  label: string;
  current: boolean;
}

/** The team's closed rounds of this round's instrument, oldest first, with their results. */
async function roundsOfTeam(round: RoundResults, district: string | null): Promise<RoundResults[]> {
  let listed: Round[] | null = null;
  if (district) {
    try {
      listed = await api.get<Round[]>(`/api/v1/districts/${enc(district)}/rounds`);
    } catch {
      listed = null;
    }
  }
  if (listed && listed.some((r) => r.id === round.id)) {
    const mine = listed
      .filter((r) => r.team.id === round.team.id && r.instrument.id === round.instrument.id && (r.status === "closed" || r.id === round.id))
      .sort((a, b) => a.opened_at.localeCompare(b.opened_at));
    const all = await Promise.all(mine.map((r) => (r.id === round.id ? Promise.resolve(round) : api.get<RoundResults>(`/api/v1/rounds/${enc(r.id)}/results`).catch(() => null))));
    return all.filter((r): r is RoundResults => r !== null);
  }
  // Walk back through the chain of previous rounds.
  const chain: RoundResults[] = [round];
  let previous = round.previous;
  while (previous && chain.length < 12) {
    try {
      const earlier = await api.get<RoundResults>(`/api/v1/rounds/${enc(previous)}/results`);
      if (earlier.status === "closed") chain.unshift(earlier);
      previous = earlier.previous;
    } catch {
      break; // not shown yet (an anonymous round still open), or gone
    }
  }
  return chain;
}

export function DomainMovement({ round }: { round: RoundResults }) {
  const me = useMe();
  const district = me.district?.id ?? null;
  const [rounds, setRounds] = useState<RoundColumn[] | null>(null);
  const [series, setSeries] = useState<Series[]>([]);

  useEffect(() => {
    let live = true;
    void roundsOfTeam(round, district).then((chain) => {
      if (!live) return;
      setRounds(chain.map((r) => ({ id: r.id, label: r.label, current: r.id === round.id })));
      setSeries(
        round.results.domains.map((d) => ({
          section: d.section,
          title: d.title,
          points: chain.map((r) => r.results.domains.find((x) => x.section === d.section)?.median ?? null),
        })),
      );
    });
    return () => {
      live = false;
    };
  }, [round, district]);

  if (!rounds || series.length === 0) return null;
  const domains = round.results.domains;
  const ends = domains.filter((d) => d.scale_min !== null && d.scale_max !== null);
  const lo = ends.length ? Math.min(...ends.map((d) => d.scale_min!)) : 1;
  const hi = ends.length ? Math.max(...ends.map((d) => d.scale_max!)) : 5;
  const pointLabels = domains[0]?.distribution ?? [];
  const loLabel = pointLabels.find((p) => p.value === lo)?.label;
  const hiLabel = pointLabels.find((p) => p.value === hi)?.label;
  const scaleWords = loLabel && hiLabel ? `${lo} (${loLabel}) to ${hi} (${hiLabel})` : `${lo} to ${hi}`;
  return (
    <section className="card" aria-labelledby="movement">
      <h2 className="section-title" id="movement">
        Movement per domain
      </h2>
      <p className="small muted">
        Each domain's median answer in every closed round of {round.instrument.title} for {round.team.name}, on the scale {scaleWords}.
      </p>
      {rounds.length < 2 ? (
        <p className="muted">One round so far: the chart shows each domain's movement once the team has answered and closed another round of this instrument.</p>
      ) : (
        <MovementChart rounds={rounds} series={series} scale={[lo, hi]} scaleWords={scaleWords} />
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="movement">
        <table className="table movement-table" data-rounds={rounds.length}>
          <caption className="sr-only">Median answer per domain in each round, on the scale {scaleWords}</caption>
          <thead>
            <tr>
              <th scope="col">Domain</th>
              {rounds.map((r) => (
                <th scope="col" key={r.id} data-round={r.id} aria-current={r.current ? "true" : undefined}>
                  {r.label}
                  {r.current && <span className="small muted block">this round</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {series.map((s) => (
              <tr key={s.section} data-domain={s.section}>
                <th scope="row">{s.title}</th>
                {s.points.map((p, i) => (
                  <td key={rounds[i].id} data-round={rounds[i].id}>
                    {oneDecimal(p)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function MovementChart({ rounds, series, scale, scaleWords }: { rounds: RoundColumn[]; series: Series[]; scale: [number, number]; scaleWords: string }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [picked, setPicked] = useState<string | null>(null);
  const w = Math.max(width, 260);
  const h = 230;
  const left = 28;
  const right = 16;
  const top = 12;
  const bottom = 34;
  const [lo, hi] = scale;
  const plotH = h - top - bottom;
  // Medians often coincide: lines sit side by side (a few pixels apart along
  // x, never moved along y) so each domain's points stay visible.
  const dodge = Math.min(4, ((w - left - right) * 0.3) / Math.max(1, rounds.length - 1) / Math.max(1, series.length));
  const pad = ((series.length - 1) / 2) * dodge;
  const plotW = w - left - right - 2 * pad;
  const slot = plotW / Math.max(1, rounds.length - 1);
  const x = (i: number, k: number) => left + pad + (rounds.length === 1 ? plotW / 2 : i * slot) + (k - (series.length - 1) / 2) * dodge;
  const y = (v: number) => top + plotH - ((v - lo) / Math.max(1, hi - lo)) * plotH;
  const ticks: number[] = [];
  for (let v = lo; v <= hi; v++) ticks.push(v);
  const every = slot < 90 ? Math.ceil(90 / slot) : 1;
  const maxChars = Math.max(6, Math.floor(Math.min(slot, 160) / 7));
  const order = series.map((s, k) => ({ s, k })).sort((a, b) => Number(a.s.section === picked) - Number(b.s.section === picked));
  return (
    <div ref={ref} className="chart movement-chart">
      {width > 0 && (
        <svg width={w} height={h} role="img" aria-label={`Median per domain in each round, on the scale ${scaleWords}; the table below lists the numbers`} className="chart-svg" data-chart="domain-movement">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={left} x2={w - right + 8} y1={y(t)} y2={y(t)} className="gridline" />
              <text x={left - 8} y={y(t) + 4} textAnchor="end" className="axis-label">
                {t}
              </text>
            </g>
          ))}
          {rounds.map((r, i) =>
            i % every === 0 || i === rounds.length - 1 ? (
              <text
                key={r.id}
                x={x(i, (series.length - 1) / 2)}
                y={h - bottom + 20}
                textAnchor={i === 0 ? "start" : i === rounds.length - 1 ? "end" : "middle"}
                className={r.current ? "axis-label axis-current" : "axis-label"}
              >
                {r.label.length > maxChars ? r.label.slice(0, maxChars - 1) + "…" : r.label}
              </text>
            ) : null,
          )}
          {order.map(({ s, k }) => {
            const pts = s.points.map((p, i) => (p === null ? null : ([x(i, k), y(p)] as const)));
            const d = pts.reduce((path, p, i) => (p === null ? path : `${path}${path && pts[i - 1] ? " L" : " M"}${p[0].toFixed(1)},${p[1].toFixed(1)}`), "").trim();
            const color = COLORS[k % COLORS.length];
            const faded = picked !== null && picked !== s.section;
            return (
              <g key={s.section} data-series={s.section} opacity={faded ? 0.15 : 1}>
                <path d={d} fill="none" stroke={color} strokeWidth={picked === s.section ? 3.5 : 2} strokeDasharray={dashOf(k)} />
                {pts.map((p, i) =>
                  p ? (
                    <circle key={rounds[i].id} cx={p[0]} cy={p[1]} r={picked === s.section ? 5 : 3.5} fill={color} data-point={i} data-round={rounds[i].id} data-value={s.points[i] ?? undefined}>
                      <title>{`${s.title}, ${rounds[i].label}: ${oneDecimal(s.points[i])}`}</title>
                    </circle>
                  ) : null,
                )}
              </g>
            );
          })}
        </svg>
      )}
      <ul className="chart-legend" aria-label="Domains (choose one to pick out its line)">
        {series.map((s, k) => (
          <li key={s.section}>
            <button type="button" className="legend-button" aria-pressed={picked === s.section} onClick={() => setPicked(picked === s.section ? null : s.section)}>
              <svg width="22" height="10" aria-hidden="true" className="legend-line">
                <line x1="1" x2="21" y1="5" y2="5" stroke={COLORS[k % COLORS.length]} strokeWidth="2.5" strokeDasharray={dashOf(k)} />
              </svg>
              {s.title}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function dashOf(k: number): string | undefined {
  return k >= COLORS.length ? "5 3" : undefined;
}
