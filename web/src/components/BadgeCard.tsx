import { formatDate } from "../lib/format";
import { Link } from "../lib/router";
import type { BadgeProgress, ScaleLevel } from "../lib/types";
import { AwardNote, LevelChip, ProgressBar, StateChip } from "./ui";
import type { ReactNode } from "react";
import { useT } from "../i18n";

export function BadgeCard({ progress, levels, href, action }: { progress: BadgeProgress; levels: ScaleLevel[]; href: string; action?: ReactNode }) {
  const p = progress;
  const t = useT();
  return (
    <article className={`card badge-card state-border-${p.state}`} data-badge={p.badge} aria-labelledby={`bc-${p.badge}`}>
      <div className="badge-card-head">
        <span className="code">{p.badge}</span>
        <StateChip state={p.state} />
      </div>
      <h3 id={`bc-${p.badge}`}>
        <Link to={href}>{p.title}</Link>
      </h3>
      <ProgressBar value={p.cpes_counting} max={p.cpes_needed} label={t("card.barLabel", { code: p.badge })} />
      <p className="small">
        <strong>{p.cpes_counting}</strong> {t("card.atMastery", { count: p.cpes_needed })}
        {p.cpes_with_evidence > 0 && <span className="muted"> · {t("card.evidenceOn", { count: p.cpes_with_evidence })}</span>}
      </p>
      <AwardNote award={p.award} />
      {p.missing_prerequisites.length > 0 && <p className="small muted">{t("card.needsFirst", { codes: p.missing_prerequisites.join(", ") })}</p>}
      <details className="why">
        <summary>{t("card.why")}</summary>
        <Explanation progress={p} levels={levels} />
      </details>
      {action}
    </article>
  );
}

export function Explanation({ progress, levels }: { progress: BadgeProgress; levels: ScaleLevel[] }) {
  const x = progress.explanation;
  const t = useT();
  return (
    <div className="explanation">
      <p className="rule">
        <span className="context-label">{t("card.rule")}</span> {x.rule}
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
              {c.last_demonstrated ? ` ${t("card.lastEvidence", { date: formatDate(c.last_demonstrated) })}` : ""}
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
  const t = useT();
  if (x.met || x.remaining.length === 0) {
    return (
      <div className="remaining remaining-done">
        <strong>{t("card.remains")}:</strong> {t("card.nothingRemains")}
      </div>
    );
  }
  return (
    <div className="remaining">
      <strong>{t("card.remains")}</strong>
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
