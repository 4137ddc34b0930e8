import { useMemo, useState } from "react";
import { formatDate } from "../lib/format";
import { useT, type T } from "../i18n";
import { linkClick } from "../lib/router";
import type { BadgeProgress, Catalog, PathwayState } from "../lib/types";
import { StateIcon, StateIconPaths } from "./ui";

interface Props {
  catalog: Catalog;
  badges: BadgeProgress[];
  linkFor: (code: string) => string;
  /** The map's accessible name ("Aaliyah's pathway map"). */
  label: string;
}

interface Node {
  code: string;
  title: string;
  state: PathwayState;
  x: number;
  y: number;
  progress: BadgeProgress;
}

interface Layout {
  nodes: Node[];
  edges: { from: Node; to: Node }[];
  width: number;
  height: number;
  lanes: { label: string; y: number; height: number }[];
  columns: { label: string; x: number }[];
}

const W = 184;
const H = 100;
const GAP_X = 40;
const GAP_Y = 18;
const PAD = 16;

/** Depth of each badge: 0 without prerequisites, else one more than its deepest prerequisite. */
function depths(catalog: Catalog): Map<string, number> {
  const byCode = new Map(catalog.badges.map((b) => [b.code, b]));
  const depth = new Map<string, number>();
  const visit = (code: string, seen: Set<string>): number => {
    if (depth.has(code)) return depth.get(code)!;
    if (seen.has(code)) return 0; // the server rejects cycles; be safe anyway
    seen.add(code);
    const prereqs = (byCode.get(code)?.prerequisites ?? []).filter((p) => byCode.has(p));
    const d = prereqs.length ? Math.max(...prereqs.map((p) => visit(p, seen))) + 1 : 0;
    depth.set(code, d);
    return d;
  };
  catalog.badges.forEach((b) => visit(b.code, new Set()));
  return depth;
}

function layoutByDepth(catalog: Catalog, progress: Map<string, BadgeProgress>, t: T): Layout {
  const depth = depths(catalog);
  const order = new Map(catalog.badges.map((b, i) => [b.code, i]));
  const layers: string[][] = [];
  for (const b of catalog.badges) {
    if (!progress.has(b.code)) continue;
    const d = depth.get(b.code) ?? 0;
    (layers[d] ??= []).push(b.code);
  }
  // Order each layer by where its prerequisites sit (barycentre), so edges cross less.
  const pos = new Map<string, number>();
  layers.forEach((layer, d) => {
    if (d > 0) {
      const prereqsOf = (c: string) => (catalog.badges.find((b) => b.code === c)?.prerequisites ?? []).filter((p) => pos.has(p));
      layer.sort((a, b) => {
        const pa = prereqsOf(a);
        const pb = prereqsOf(b);
        const ba = pa.length ? pa.reduce((s, p) => s + pos.get(p)!, 0) / pa.length : order.get(a)!;
        const bb = pb.length ? pb.reduce((s, p) => s + pos.get(p)!, 0) / pb.length : order.get(b)!;
        return ba - bb || order.get(a)! - order.get(b)!;
      });
    }
    layer.forEach((c, i) => pos.set(c, i));
  });
  const tallest = Math.max(1, ...layers.map((l) => l?.length ?? 0));
  const height = PAD * 2 + 28 + tallest * H + (tallest - 1) * GAP_Y;
  const nodes: Node[] = [];
  const columns: Layout["columns"] = [];
  layers.forEach((layer, d) => {
    const x = PAD + d * (W + GAP_X);
    columns.push({ label: d === 0 ? t("map.start") : t("map.step", { n: d + 1 }), x });
    const layerHeight = layer.length * H + (layer.length - 1) * GAP_Y;
    const top = PAD + 28 + (height - PAD * 2 - 28 - layerHeight) / 2;
    layer.forEach((code, i) => {
      const p = progress.get(code)!;
      nodes.push({ code, title: p.title, state: p.state, x, y: top + i * (H + GAP_Y), progress: p });
    });
  });
  const width = PAD * 2 + layers.length * W + (layers.length - 1) * GAP_X;
  return { nodes, edges: edgesOf(catalog, nodes), width, height, lanes: [], columns };
}

function layoutByPathway(catalog: Catalog, progress: Map<string, BadgeProgress>, t: T): Layout {
  const lanes: Layout["lanes"] = [];
  const nodes: Node[] = [];
  const placed = new Set<string>();
  const groups: { label: string; codes: string[] }[] = (catalog.pathways ?? []).map((p) => ({
    label: p.example ? t("map.example", { title: p.title }) : p.title,
    codes: p.badges.filter((c) => progress.has(c)),
  }));
  const rest = catalog.badges.map((b) => b.code).filter((c) => progress.has(c) && !groups.some((g) => g.codes.includes(c)));
  if (rest.length) groups.push({ label: t("map.other"), codes: rest });
  let y = PAD;
  let widest = 0;
  for (const g of groups) {
    const codes = g.codes.filter((c) => !placed.has(c));
    if (!codes.length) continue;
    const laneTop = y;
    y += 28;
    codes.forEach((code, i) => {
      placed.add(code);
      const p = progress.get(code)!;
      nodes.push({ code, title: p.title, state: p.state, x: PAD + i * (W + GAP_X), y, progress: p });
    });
    widest = Math.max(widest, codes.length);
    y += H + 22;
    lanes.push({ label: g.label, y: laneTop, height: y - laneTop - 8 });
  }
  const width = PAD * 2 + widest * W + (widest - 1) * GAP_X;
  return { nodes, edges: edgesOf(catalog, nodes), width, height: y + PAD - 22, lanes, columns: [] };
}

function edgesOf(catalog: Catalog, nodes: Node[]): Layout["edges"] {
  const at = new Map(nodes.map((n) => [n.code, n]));
  const edges: Layout["edges"] = [];
  for (const b of catalog.badges) {
    const to = at.get(b.code);
    if (!to) continue;
    for (const p of b.prerequisites ?? []) {
      const from = at.get(p);
      if (from) edges.push({ from, to });
    }
  }
  return edges;
}

function wrap(text: string, max: number, lines: number): string[] {
  const words = text.split(/\s+/);
  const out: string[] = [];
  let line = "";
  for (const w of words) {
    if ((line + " " + w).trim().length > max) {
      if (line) out.push(line);
      line = w;
    } else {
      line = (line + " " + w).trim();
    }
  }
  if (line) out.push(line);
  if (out.length > lines) {
    const kept = out.slice(0, lines);
    kept[lines - 1] = kept[lines - 1].slice(0, max - 1).replace(/[\s:,]+$/, "") + "…";
    return kept;
  }
  return out;
}

function detailLine(p: BadgeProgress, t: T): string {
  switch (p.state) {
    case "earned":
      return p.award.confirmed_on ? t("map.awarded", { date: formatDate(p.award.confirmed_on) }) : t("map.met");
    case "in_progress":
      return t("map.cpes", { done: p.cpes_counting, count: p.cpes_needed });
    case "available":
      return t("map.prereqsDone");
    case "locked":
      return p.missing_prerequisites.length ? t("map.needs", { codes: p.missing_prerequisites.join(", ") }) : t("map.prereqFirst");
  }
}

/**
 * The node's accessible name: its visible text in reading order (so speech
 * users can say what they see), then anything the truncated title left out.
 */
function nodeName(p: BadgeProgress, titleLines: string[], t: T): string {
  const visible = [p.badge, t(`state.${p.state}`), ...titleLines, detailLine(p, t)].join(" ");
  const truncated = titleLines.join(" ") !== p.title;
  return truncated ? `${visible}. ${p.title}` : visible;
}

export function PathwayMap({ catalog, badges, linkFor, label }: Props) {
  const t = useT();
  const [mode, setMode] = useState<"depth" | "pathway">("depth");
  const progress = useMemo(() => new Map(badges.map((b) => [b.badge, b])), [badges]);
  const layout = useMemo(() => (mode === "depth" ? layoutByDepth(catalog, progress, t) : layoutByPathway(catalog, progress, t)), [catalog, progress, mode, t]);

  return (
    <figure className="pathway">
      <div className="pathway-toolbar">
        <figcaption id="pathway-caption">
          {mode === "depth" ? t("map.captionDepth") : t("map.captionPathway")}
        </figcaption>
        <div className="segmented" role="group" aria-label={t("map.arrange")}>
          <button type="button" aria-pressed={mode === "depth"} onClick={() => setMode("depth")}>
            {t("map.byPrereqs")}
          </button>
          <button type="button" aria-pressed={mode === "pathway"} onClick={() => setMode("pathway")}>
            {t("map.byPathway")}
          </button>
        </div>
      </div>
      <div className="pathway-scroll">
        <svg
          className="pathway-svg"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="group"
          aria-label={label}
          aria-describedby="pathway-caption"
          data-mode={mode}
        >
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0 0 L10 5 L0 10 z" fill="var(--edge)" />
            </marker>
            <marker id="arrow-done" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0 0 L10 5 L0 10 z" fill="var(--edge-done)" />
            </marker>
          </defs>
          {layout.lanes.map((lane) => (
            <g key={lane.label} aria-hidden="true">
              <rect x={6} y={lane.y} width={layout.width - 12} height={lane.height} rx={12} className="lane" />
              <text x={PAD} y={lane.y + 19} className="lane-label">
                {lane.label}
              </text>
            </g>
          ))}
          {layout.columns.map((c) => (
            <text key={c.label} x={c.x + W / 2} y={PAD + 10} textAnchor="middle" className="column-label" aria-hidden="true">
              {c.label}
            </text>
          ))}
          <g aria-hidden="true">
            {layout.edges.map(({ from, to }) => {
              const done = from.state === "earned";
              const sameRow = Math.abs(from.y - to.y) < 1 && to.x > from.x;
              let d: string;
              if (to.x > from.x) {
                const x1 = from.x + W;
                const y1 = from.y + H / 2;
                const x2 = to.x - 2;
                const y2 = to.y + H / 2;
                const mid = (x1 + x2) / 2;
                d = sameRow ? `M${x1} ${y1} L${x2} ${y2}` : `M${x1} ${y1} C${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`;
              } else {
                // A prerequisite in another lane (pathway view): curve from below.
                const x1 = from.x + W / 2;
                const y1 = from.y + (to.y > from.y ? H : 0);
                const x2 = to.x + W / 2;
                const y2 = to.y + (to.y > from.y ? -2 : H + 2);
                d = `M${x1} ${y1} C${x1} ${(y1 + y2) / 2}, ${x2} ${(y1 + y2) / 2}, ${x2} ${y2}`;
              }
              const cross = !(to.x > from.x) || (mode === "pathway" && !sameRow);
              return <path key={from.code + to.code} d={d} className={`edge${done ? " edge-done" : ""}${cross ? " edge-cross" : ""}`} markerEnd={done ? "url(#arrow-done)" : "url(#arrow)"} />;
            })}
          </g>
          {layout.nodes.map((n) => {
            const title = wrap(n.title, 25, 3);
            const name = nodeName(n.progress, title, t);
            const frac = n.progress.cpes_needed ? n.progress.cpes_counting / n.progress.cpes_needed : 0;
            const href = linkFor(n.code);
            return (
              <a key={n.code} href={href} onClick={linkClick(href)} className={`node node-${n.state}`} aria-label={name} data-badge={n.code} data-state={n.state}>
                <rect x={n.x} y={n.y} width={W} height={H} rx={12} className="node-box" />
                <text x={n.x + 14} y={n.y + 22} className="node-code">
                  {`${n.code} `}
                </text>
                <text x={n.x + W - 32} y={n.y + 21} textAnchor="end" className="node-state">
                  {`${t(`state.${n.state}`)} `}
                </text>
                <g transform={`translate(${n.x + W - 28} ${n.y + 9})`} className="node-state-icon">
                  <StateIconPaths state={n.state} />
                </g>
                {title.map((line, i) => (
                  <text key={i} x={n.x + 14} y={n.y + 41 + i * 15} className="node-title">
                    {`${line} `}
                  </text>
                ))}
                {n.state === "in_progress" ? (
                  <g>
                    <rect x={n.x + 14} y={n.y + H - 17} width={70} height={6} rx={3} className="node-bar-track" />
                    <rect x={n.x + 14} y={n.y + H - 17} width={Math.max(4, 70 * frac)} height={6} rx={3} className="node-bar-fill" />
                    <text x={n.x + 92} y={n.y + H - 11} className="node-detail">
                      {t("map.cpes", { done: n.progress.cpes_counting, count: n.progress.cpes_needed })}
                    </text>
                  </g>
                ) : (
                  <text x={n.x + 14} y={n.y + H - 11} className="node-detail">
                    {detailLine(n.progress, t)}
                  </text>
                )}
              </a>
            );
          })}
        </svg>
      </div>
      <ul className="pathway-legend" aria-label={t("map.key")}>
        {(["earned", "in_progress", "available", "locked"] as PathwayState[]).map((s) => (
          <li key={s} className={`legend-${s}`}>
            <StateIcon state={s} />
            <span>{t(`state.${s}`)}</span>
            <span className="muted small">
              {s === "earned" && t("map.legend.earned")}
              {s === "in_progress" && t("map.legend.in_progress")}
              {s === "available" && t("map.legend.available")}
              {s === "locked" && t("map.legend.locked")}
            </span>
          </li>
        ))}
        <li className="legend-edge">
          <svg width="30" height="10" aria-hidden="true">
            <path d="M1 5 H27" stroke="var(--edge)" strokeWidth="2" strokeDasharray="4 3" />
          </svg>
          <span className="muted small">{t("map.legend.arrow")}</span>
        </li>
      </ul>
    </figure>
  );
}
