import { useApi } from "../lib/hooks";
import { formatDate } from "../lib/format";
import type { SubmissionSummary } from "../lib/portfolio";
import { Link } from "../lib/router";
import type { BadgeProgress } from "../lib/types";
import { useT } from "../i18n";

// Feedback this recent counts as new on the student's home page.
const NEW_FEEDBACK_DAYS = 14;

interface Item {
  key: string;
  to: string;
  title: string;
  detail?: string;
  tone: "action" | "info" | "good";
}

/**
 * What a student should look at first: work their teacher sent back for a
 * revision, recent feedback, and badges whose rule is met and wait only for
 * the teacher's confirmation. Nothing to show: nothing is drawn.
 */
export function NeedsAttention({ studentId, badges }: { studentId: string; badges: BadgeProgress[] }) {
  const t = useT();
  const { data } = useApi<{ submissions: SubmissionSummary[] }>(`/api/v1/students/${encodeURIComponent(studentId)}/submissions`);
  const items: Item[] = [];
  const cutoff = Date.now() - NEW_FEEDBACK_DAYS * 86_400_000;
  for (const s of data?.submissions ?? []) {
    if (s.state === "revision_requested") {
      items.push({
        key: `rev-${s.id}`,
        to: `/me/portfolio/${s.id}`,
        title: t("attention.revise", { title: s.title }),
        detail: s.revision_message ? t("attention.asked", { message: s.revision_message }) : t("attention.askedRevision"),
        tone: "action",
      });
    } else if (s.feedback > 0 && Date.parse(s.last_change) >= cutoff) {
      items.push({
        key: `fb-${s.id}`,
        to: `/me/portfolio/${s.id}`,
        title: t("attention.feedback", { title: s.title }),
        detail: t("attention.updated", { date: formatDate(s.last_change) }),
        tone: "info",
      });
    }
  }
  for (const b of badges) {
    if (b.award.state === "proposed" || (b.rule_met && b.award.state === "none")) {
      items.push({
        key: `badge-${b.badge}`,
        to: `/me/badges/${encodeURIComponent(b.badge)}`,
        title: t("attention.ready", { code: b.badge, title: b.title }),
        detail: t("attention.readyDetail"),
        tone: "good",
      });
    }
  }
  if (!items.length) return null;
  return (
    <section className="card needs-attention" aria-labelledby="attention-title">
      <h2 id="attention-title" className="section-title inline">
        {t("attention.title")}
      </h2>
      <ul>
        {items.map((item) => (
          <li key={item.key} className={`attention-${item.tone}`}>
            <Link to={item.to}>{item.title}</Link>
            {item.detail && <p className="small muted">{item.detail}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
