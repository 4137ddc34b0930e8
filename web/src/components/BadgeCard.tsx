import { formatDate } from "../lib/format";
import { Link } from "../lib/router";
import type { BadgeProgress, ScaleLevel } from "../lib/types";
import { AwardNote, LevelChip, ProgressBar, StateChip } from "./ui";
import type { ReactNode } from "react";

export function BadgeCard({ progress, levels, href, action }: { progress: BadgeProgress; levels: ScaleLevel[]; href: string; action?: ReactNode }) {
  const p = progress;
  return (
    <article className={`card badge-card state-border-${p.state}`} data-badge={p.badge} aria-labelledby={`bc-${p.badge}`}>
      <div className="badge-card-head">
        <span className="code">{p.badge}</span>
        <StateChip state={p.state} />
      </div>
      <h3 id={`bc-${p.badge}`}>
        <Link to={href}>{p.title}</Link>
      </h3>
      <ProgressBar value={p.cpes_counting} max={p.cpes_needed} label={`${p.badge}: CPEs at mastery`} />
      <p className="small">
        <strong>{p.cpes_counting}</strong> of {p.cpes_needed} CPEs at mastery
        {p.cpes_with_evidence > 0 && <span className="muted"> · evidence on {p.cpes_with_evidence}</span>}
      </p>
      <AwardNote award={p.award} />
      {p.missing_prerequisites.length > 0 && <p className="small muted">Needs {p.missing_prerequisites.join(", ")} first.</p>}
      <details className="why">
        <summary>Why, and what remains</summary>
        <Explanation progress={p} levels={levels} />
      </details>
      {action}
    </article>
  );
}

export function Explanation({ progress, levels }: { progress: BadgeProgress; levels: ScaleLevel[] }) {
  const x = progress.explanation;
  return (
    <div className="explanation">
      <p className="rule">
        <span className="context-label">Award rule</span> {x.rule}
      </p>
      <ul className="cpe-reasons">
        {x.cpes.map((c) => (
          <li key={c.cpe} className={c.counts ? "counts" : ""}>
            <div className="cpe-reason-head">
              <span className="cpe-label">{c.label}</span>
              <LevelChip levels={levels} level={c.level} label={c.level_label} size="sm" />
            </div>
            <p className="small muted">
              {c.reason}
              {c.last_demonstrated ? ` Last evidence ${formatDate(c.last_demonstrated)}.` : ""}
            </p>
          </li>
        ))}
      </ul>
      <Remaining progress={progress} />
    </div>
  );
}

export function Remaining({ progress }: { progress: BadgeProgress }) {
  const x = progress.explanation;
  if (x.met || x.remaining.length === 0) {
    return (
      <div className="remaining remaining-done">
        <strong>What remains:</strong> nothing. Every requirement of this badge is met.
      </div>
    );
  }
  return (
    <div className="remaining">
      <strong>What remains</strong>
      <ul>
        {x.remaining.map((r) => (
          <li key={r}>
            <RemainingItem text={r} cpes={x.cpes.map((c) => c.cpe)} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "M102.1 M102 CPE 1 at mastery" → the CPE id as a code, then the words. */
function RemainingItem({ text, cpes }: { text: string; cpes: string[] }) {
  const space = text.indexOf(" ");
  const head = space > 0 ? text.slice(0, space) : "";
  if (head && cpes.includes(head)) {
    return (
      <>
        <span className="code code-sm">{head}</span> {text.slice(space + 1)}
      </>
    );
  }
  return <>{text}</>;
}
