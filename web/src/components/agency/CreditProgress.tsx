// Where a student stands on the district's credit and graduation
// requirements (GET .../plan: credit_progress; agency/credit_map.h).
import { useT } from "../../i18n";

export interface RequirementProgress {
  id: string;
  title: string;
  kind: "credit" | "graduation";
  met: boolean;
  standing: string;
  earned_badges: { code: string; title: string }[];
  missing_badges: { code: string; title: string }[];
  badges_needed: number;
  credits_earned: number;
  credits?: number;
  credits_needed?: number;
}

/** Course credit and graduation requirements, met or with what remains. Nothing when the district maps none. */
export function CreditProgress({ items, headingId = "credit-h", heading }: { items: RequirementProgress[] | undefined; headingId?: string; heading?: string }) {
  const t = useT();
  if (!items || items.length === 0) return null;
  const groups: { kind: RequirementProgress["kind"]; label: string }[] = [
    { kind: "credit", label: t("credit.course") },
    { kind: "graduation", label: t("credit.graduation") },
  ];
  return (
    <section className="card credit-progress" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading ?? t("credit.title")}</h2>
      {groups.map(({ kind, label }) => {
        const list = items.filter((r) => r.kind === kind);
        if (list.length === 0) return null;
        return (
          <div key={kind}>
            <h3 className="small">{label}</h3>
            <ul className="credit-list">
              {list.map((r) => (
                <li key={r.id} data-requirement={r.id} data-met={r.met ? "yes" : "no"}>
                  <span className={r.met ? "credit-met" : "credit-open"} aria-hidden="true">
                    {r.met ? "✓" : "○"}
                  </span>{" "}
                  <strong>{r.title}</strong>: {r.standing}
                  {!r.met && r.missing_badges.length > 0 && (
                    <div className="small muted">{t("credit.badgesThatCount", { badges: r.missing_badges.map((b) => `${b.code} ${b.title}`).join("; ") })}</div>
                  )}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
