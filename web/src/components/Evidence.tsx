import { useMemo, useState } from "react";
import { formatDate } from "../lib/format";
import type { Catalog, Evidence } from "../lib/types";
import { scaleOf } from "../lib/catalog";
import { LevelChip } from "./ui";
import { evidenceKindLabel, useT } from "../i18n";

interface Props {
  evidence: Evidence[];
  catalog: Catalog | undefined;
  /** Only this badge's evidence, without the badge filter. */
  badge?: string;
  pageSize?: number;
  emptyText?: string;
}

export function EvidenceList({ evidence, catalog, badge, pageSize = 15, emptyText }: Props) {
  const t = useT();
  const [filter, setFilter] = useState(badge ?? "");
  const [shown, setShown] = useState(pageSize);
  const badges = useMemo(() => [...new Set(evidence.map((e) => e.badge).filter(Boolean) as string[])].sort(), [evidence]);
  const list = useMemo(() => evidence.filter((e) => !filter || e.badge === filter), [evidence, filter]);
  const byId = useMemo(() => new Map(evidence.map((e) => [e.id, e])), [evidence]);

  return (
    <div className="evidence">
      {!badge && badges.length > 1 && (
        <div className="toolbar">
          <div className="field field-inline">
            <label htmlFor="evidence-filter">{t("evidence.badge")}</label>
            <select
              id="evidence-filter"
              value={filter}
              onChange={(e) => {
                setFilter(e.target.value);
                setShown(pageSize);
              }}
            >
              <option value="">{t("evidence.allBadges")}</option>
              {badges.map((b) => (
                <option key={b} value={b}>
                  {b} {catalog?.badges.find((x) => x.code === b)?.title ?? ""}
                </option>
              ))}
            </select>
          </div>
          <p className="muted small" aria-live="polite">
            {t("evidence.count", { count: list.length })}
          </p>
        </div>
      )}
      {list.length === 0 ? (
        <p className="muted">{emptyText ?? t("evidence.none")}</p>
      ) : (
        <ol className="evidence-list">
          {list.slice(0, shown).map((e) => {
            const catalogBadge = catalog?.badges.find((b) => b.code === e.badge);
            const levels = scaleOf(catalog, catalogBadge)?.levels ?? [];
            const replaced = e.corrected_by !== null;
            const inactive = e.voided !== null || replaced;
            return (
              <li key={e.id} className={`evidence-item${inactive ? " is-inactive" : ""}`} data-evidence-id={e.id}>
                <div className="evidence-date">
                  <time dateTime={e.demonstrated_on}>{formatDate(e.demonstrated_on)}</time>
                </div>
                <div className="evidence-main">
                  <div className="evidence-head">
                    <span className="code">{e.badge}</span>
                    <span className="evidence-cpe">{e.cpe_label ?? e.cpe}</span>
                    <LevelChip levels={levels} level={e.level} label={e.level_label} size="sm" />
                  </div>
                  <p className="evidence-meta muted small">
                    {evidenceKindLabel(t, e.kind)}
                    {e.recorded_by ? ` · ${t("evidence.ratedBy", { name: e.recorded_by })}` : ""}
                    {e.recorded_at.slice(0, 10) !== e.demonstrated_on ? ` · ${t("evidence.recorded", { date: formatDate(e.recorded_at.slice(0, 10)) })}` : ""}
                    {e.indicator ? ` · ${catalogBadge?.cpes.flatMap((c) => c.indicators ?? []).find((i) => i.id === e.indicator)?.label ?? e.indicator}` : ""}
                  </p>
                  {e.note && (
                    <blockquote className="feedback">
                      <span className="sr-only">{t("evidence.feedback")} </span>
                      {e.note}
                    </blockquote>
                  )}
                  <div className="evidence-tags">
                    {e.voided && (
                      <span className="tag tag-void">
                        {t("evidence.voided", { date: formatDate(e.voided.at) })}
                        {e.voided.reason ? `: ${e.voided.reason}` : ""} · {t("evidence.noLongerCounts")}
                      </span>
                    )}
                    {replaced && (
                      <span className="tag tag-corrected">
                        {t("evidence.corrected")}
                        {byId.get(e.corrected_by!) ? ` (${byId.get(e.corrected_by!)!.level_label ?? byId.get(e.corrected_by!)!.level}, ${formatDate(byId.get(e.corrected_by!)!.demonstrated_on)})` : ""} · {t("evidence.noLongerCounts")}
                      </span>
                    )}
                    {e.corrects !== null && <span className="tag tag-correction">{t("evidence.correction")}</span>}
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {list.length > shown && (
        <button type="button" className="btn btn-secondary" onClick={() => setShown((n) => n + pageSize * 2)}>
          {t("evidence.more", { count: list.length - shown })}
        </button>
      )}
    </div>
  );
}
