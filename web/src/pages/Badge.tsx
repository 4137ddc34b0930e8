import { useState } from "react";
import { api, errorMessage } from "../lib/api";
import { canRate, useMe } from "../lib/auth";
import { findBadge, scaleOf, useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { evidenceKindLabel, useT } from "../i18n";
import { Link } from "../lib/router";
import type { Evidence, Progress, StudentInfo } from "../lib/types";
import { AwardNote, Empty, ErrorNotice, LevelChip, LiveMessage, PageHeader, ProgressBar, Spinner, StateChip } from "../components/ui";
import { Remaining } from "../components/BadgeCard";
import { EvidenceList } from "../components/Evidence";
import { PracticeAndLearn } from "../components/PracticeAndLearn";
import type { BadgeResources } from "../lib/alignment";

export function BadgePage({ studentId, code }: { studentId: string; code: string }) {
  const me = useMe();
  const t = useT();
  const self = me.role === "student";
  const base = self ? "/me" : `/students/${encodeURIComponent(studentId)}`;
  const id = encodeURIComponent(studentId);
  const progress = useApi<Progress>(`/api/v1/students/${id}/progress`);
  const evidence = useApi<Evidence[]>(`/api/v1/students/${id}/evidence`);
  const info = useApi<StudentInfo>(self ? null : `/api/v1/students/${id}`);
  const resources = useApi<BadgeResources>(`/api/v1/catalog/badges/${encodeURIComponent(code)}/resources`);
  const { catalog } = useCatalog();
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  const [busy, setBusy] = useState(false);

  const p = progress.data?.badges.find((b) => b.badge === code);
  const badge = findBadge(catalog, code);
  const scale = scaleOf(catalog, badge);
  const levels = scale?.levels ?? [];
  const studentName = info.data?.name ?? progress.data?.student.name ?? "";
  useDocumentTitle(p ? `${code} ${p.title}` : code);

  const crumbs = self
    ? [{ to: "/me", label: t("nav.myLearning") }]
    : [
        ...(me.role === "guardian" ? [{ to: "/children", label: t("nav.myChildren") }] : [{ to: "/sections", label: me.role === "teacher" ? "My sections" : "Sections" }]),
        { to: base, label: studentName || t("role.student") },
      ];

  if (progress.error !== undefined) return <div className="page"><ErrorNotice error={progress.error} /></div>;
  if (!progress.data || !catalog) return <div className="page"><Spinner /></div>;
  if (!p || !badge) {
    return (
      <div className="page">
        <PageHeader crumbs={crumbs} title={code} />
        <Empty title={t("badge.notFound")} />
      </div>
    );
  }

  async function confirm() {
    setBusy(true);
    try {
      await api.post(`/api/v1/students/${id}/badges/${encodeURIComponent(code)}/award`, { action: "confirm" });
      setMessage({ text: `${code} confirmed for ${studentName}.`, tone: "success" });
      await progress.reload();
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
    } finally {
      setBusy(false);
    }
  }

  const x = p.explanation;
  const statusOf = new Map(x.cpes.map((c) => [c.cpe, c]));

  return (
    <div className="page">
      <PageHeader
        crumbs={crumbs}
        title={
          <>
            <span className="code code-lg">{code}</span> {p.title}
          </>
        }
        subtitle={badge.description}
        actions={
          canRate(me.role) && p.award.state === "proposed" ? (
            <button type="button" className="btn btn-primary" onClick={confirm} disabled={busy}>
              Confirm award
            </button>
          ) : undefined
        }
      />
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}

      <div className="badge-layout">
        <div className="badge-main">
          <section className="card badge-status" aria-labelledby="status-title">
            <div className="badge-status-head">
              <h2 id="status-title" className="section-title inline">
                {self ? t("badge.whereSelf") : t("badge.where")}
              </h2>
              <StateChip state={p.state} />
            </div>
            <ProgressBar value={p.cpes_counting} max={p.cpes_needed} label={t("badge.barLabel")} />
            <p>
              <strong>{p.cpes_counting}</strong> {t("card.atMastery", { count: p.cpes_needed })}
            </p>
            <AwardNote award={p.award} />
            <p className="rule small">
              <span className="context-label">{t("badge.toEarn")}</span> {x.rule}
            </p>
            {p.missing_prerequisites.length > 0 && (
              <p className="small">
                {t("badge.first")}{" "}
                {p.missing_prerequisites.map((m, i) => (
                  <span key={m}>
                    {i > 0 && ", "}
                    <Link to={`${base}/badges/${encodeURIComponent(m)}`}>
                      {m} {findBadge(catalog, m)?.title}
                    </Link>
                  </span>
                ))}
              </p>
            )}
            <Remaining progress={p} />
          </section>

          <section aria-labelledby="cpes-title">
            <h2 id="cpes-title" className="section-title">
              {t("badge.asksFor")} <span className="count">{t("badge.cpeCount", { count: badge.cpes.length })}</span>
            </h2>
            <ol className="cpe-list">
              {badge.cpes.map((c) => {
                const st = statusOf.get(c.id);
                return (
                  <li key={c.id} className={`card cpe-card${st?.counts ? " counts" : ""}`} data-cpe={c.id}>
                    <div className="cpe-card-head">
                      <h3>
                        {c.code && <span className="code code-sm cpe-code">{c.code}</span>} {c.label} <span className="cpe-id">{c.id}</span>
                      </h3>
                      <LevelChip levels={levels} level={st?.level ?? null} label={st?.level_label} />
                    </div>
                    {c.statement && <p className="cpe-statement">{c.statement}</p>}
                    {st && (
                      <p className="small muted reason">
                        {st.reason}
                        {st.evidence_count > 0 ? ` ${t("badge.pieces", { count: st.evidence_count })}` : ""}
                        {st.last_demonstrated ? t("badge.lastOn", { date: formatDate(st.last_demonstrated) }) : ""}
                      </p>
                    )}
                    {c.level_descriptions && Object.keys(c.level_descriptions).length > 0 && (
                      <details className="cpe-levels">
                        <summary>{t("badge.levelsFor", { cpe: c.code || c.id })}</summary>
                        <dl>
                          {[...levels].reverse().filter((l) => c.level_descriptions?.[l.id]).map((l) => (
                            <div key={l.id}>
                              <dt>{l.label}</dt>
                              <dd>{c.level_descriptions![l.id]}</dd>
                            </div>
                          ))}
                        </dl>
                      </details>
                    )}
                    {c.indicators && c.indicators.length > 0 && (
                      <details className="indicators">
                        <summary>{t("badge.ways", { count: c.indicators.length })}</summary>
                        <ul>
                          {c.indicators.map((i) => (
                            <li key={i.id}>
                              {i.code && <span className="code code-sm">{i.code}</span>} <strong>{i.label}</strong>
                              {i.description ? `: ${i.description}` : ""}
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                    <PracticeAndLearn
                      cpe={c.id}
                      resources={resources.data?.cpes.find((r) => r.cpe === c.id)?.resources ?? []}
                      indicators={c.indicators}
                      canAdd={canRate(me.role)}
                      onChanged={() => void resources.reload()}
                    />
                  </li>
                );
              })}
            </ol>
          </section>
        </div>

        <aside className="badge-side">
          <section className="card" aria-labelledby="levels-title">
            <h2 id="levels-title" className="section-title inline">
              {t("badge.levelsMean")}
            </h2>
            <p className="small muted">{scale?.title}</p>
            <ol className="level-descriptions">
              {[...levels].reverse().map((l) => (
                <li key={l.id}>
                  <LevelChip levels={levels} level={l.id} size="sm" />
                  {l.mastery && <span className="pill pill-mastery">{t("badge.mastery")}</span>}
                  <p className="small">{l.description || t("badge.noDescription")}</p>
                </li>
              ))}
            </ol>
          </section>
          {(badge.award_rule?.required_evidence_kinds?.length ?? 0) > 0 && (
            <section className="card" aria-labelledby="kinds-title">
              <h2 id="kinds-title" className="section-title inline">
                {t("badge.kindsNeeded")}
              </h2>
              <ul className="plain small">
                {badge.award_rule!.required_evidence_kinds!.map((k) => (
                  <li key={k}>
                    {t("badge.atLeastOne", { kind: evidenceKindLabel(t, k).toLowerCase() })}
                    {x.missing_evidence_kinds.includes(k) ? <span className="pill pill-todo">{t("badge.notYet")}</span> : <span className="pill pill-done">{t("badge.done")}</span>}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>

      <section aria-labelledby="badge-evidence-title" className="badge-evidence">
        <h2 id="badge-evidence-title" className="section-title">
          {self ? t("badge.evidenceSelf") : t("badge.evidence")}
        </h2>
        {evidence.data ? <EvidenceList evidence={evidence.data} catalog={catalog} badge={code} emptyText={t("badge.noEvidence")} /> : <Spinner />}
      </section>
    </div>
  );
}
