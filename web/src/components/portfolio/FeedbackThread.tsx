import { ROLE_LABELS, formatDate } from "../../lib/format";
import { type Anchor, type PortfolioEvent, type Submission } from "../../lib/portfolio";
import type { ScaleLevel } from "../../lib/types";
import { LevelChip } from "../ui";
import { useT } from "../../i18n";

/** Numbers for anchored feedback, in the order it was given (1, 2, …). */
export function anchorNumbers(events: PortfolioEvent[]): Map<number, number> {
  const out = new Map<number, number>();
  let n = 0;
  for (const e of events) if (e.kind === "feedback" && e.anchor) out.set(e.id, ++n);
  return out;
}

const QUIET = new Set(["share", "unshare", "showcase", "unshowcase", "consent", "withdraw_consent"]);

export function FeedbackThread({ submission, levels, onShowAnchor, showQuiet = true }: { submission: Submission; levels: ScaleLevel[]; onShowAnchor: (a: Anchor) => void; showQuiet?: boolean }) {
  const t = useT();
  const numbers = anchorNumbers(submission.events);
  const versionNo = new Map(submission.history.map((v) => [v.id, v.number]));
  const events = [...submission.events].filter((e) => showQuiet || !QUIET.has(e.kind)).reverse();
  if (events.length === 0) return <p className="muted small">{t("thread.nothing")}</p>;
  return (
    <ol className="thread" aria-label={t("thread.label")}>
      {events.map((e) => {
        const n = numbers.get(e.id);
        const roleLabel = (role: string) => (role === "student" ? t("role.student") : role === "guardian" ? t("role.guardian") : role === "teacher" ? t("role.teacher") : ROLE_LABELS[role as keyof typeof ROLE_LABELS] ?? role);
        const vn = e.version !== null ? versionNo.get(e.version) : undefined;
        return (
          <li key={e.id} className={`thread-item thread-${e.kind}${QUIET.has(e.kind) ? " thread-quiet" : ""}`} data-kind={e.kind}>
            <div className="thread-head">
              {n !== undefined && (
                <span className="anchor-num inline" aria-hidden="true">
                  {n}
                </span>
              )}
              <strong>{t(`event.${e.kind}`)}</strong>
              <span className="small muted">
                {e.actor ? `${e.actor.name} (${roleLabel(e.actor.role)})` : ""} · {formatDate(e.at)}
                {vn !== undefined ? ` · ${t("thread.version", { n: vn })}` : ""}
              </span>
            </div>
            {e.message && <p className="thread-msg">{e.message}</p>}
            {e.kind === "nominate_exemplar" && e.cpe && (
              <p className="small">
                <span className="code code-sm">{e.cpe}</span> <LevelChip levels={levels} level={e.level} size="sm" />
              </p>
            )}
            {e.anchor && n !== undefined && (
              <button type="button" className="linklike small" onClick={() => onShowAnchor(e.anchor!)}>
                {e.anchor.page > 0 ? t("thread.areaPage", { n, page: e.anchor.page }) : t("thread.areaPicture", { n })}
              </button>
            )}
          </li>
        );
      })}
    </ol>
  );
}
