// One piece of portfolio work, for everybody who may see it: the student
// (revise, share, showcase, consent), their teacher (the review panel), and
// the family (read-only, plus exemplar consent).
import { useEffect, useRef, useState } from "react";
import { api, errorMessage } from "../lib/api";
import { isStaff, useMe } from "../lib/auth";
import { findBadge, scaleOf, useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { useT, type T } from "../i18n";
import { Link } from "../lib/router";
import { portfolioPath, studentFiles, taggedCpes, type Anchor, type Submission } from "../lib/portfolio";
import { ErrorNotice, LevelChip, LiveMessage, PageHeader, Spinner } from "../components/ui";
import { SubmissionStateChip, Toggle } from "../components/portfolio/bits";
import { ArtifactViewer, type Marker } from "../components/portfolio/ArtifactViewer";
import { anchorNumbers, FeedbackThread } from "../components/portfolio/FeedbackThread";
import { CompareView } from "../components/portfolio/CompareView";
import { EvidenceForm, type EvidencePayload } from "../components/portfolio/EvidenceForm";
import { ReviewPanel } from "../components/portfolio/ReviewPanel";
import { PeerReviews } from "../components/portfolio/PeerReviews";
import { SelfAssessment } from "../components/portfolio/SelfAssessment";

export function PortfolioSubmissionPage({ id }: { id: string }) {
  const me = useMe();
  const tr = useT();
  const { catalog } = useCatalog();
  const { data: s, error, setData, reload } = useApi<Submission>(`/api/v1/submissions/${encodeURIComponent(id)}`);
  const [viewNo, setViewNo] = useState<number | null>(null);
  const [mode, setMode] = useState<"view" | "revise" | "compare">("view");
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [anchor, setAnchor] = useState<Anchor | null>(null);
  const [focus, setFocus] = useState<{ artifact: number; page: number; seq: number } | null>(null);
  const [consentNote, setConsentNote] = useState<string | null>(null);
  const topRef = useRef<HTMLDivElement>(null);
  useDocumentTitle(s?.title ?? tr("sub.work"));

  const self = me.role === "student";
  const guardian = me.role === "guardian";
  const staff = isStaff(me.role);
  useEffect(() => setViewNo(null), [s?.current_version]);

  if (error !== undefined && !s) return <div className="page"><ErrorNotice error={error} title={tr("sub.loadFailed")} onRetry={reload} /></div>;
  if (!s) return <div className="page"><Spinner label={tr("sub.loading")} /></div>;

  const badge = findBadge(catalog, s.badge);
  const levels = scaleOf(catalog, badge)?.levels ?? [];
  const shownNo = viewNo ?? s.current_version ?? s.history[s.history.length - 1]?.number;
  const version = s.history.find((v) => v.number === shownNo);
  const latest = s.history[s.history.length - 1];
  const numbers = anchorNumbers(s.events);
  const markers: Marker[] = s.events.filter((e) => e.anchor && e.version === version?.id).map((e) => ({ n: numbers.get(e.id)!, anchor: e.anchor! }));
  const canRevise = (self || staff) && (s.state === "draft" || s.state === "revision_requested");
  const canSubmit = (self || staff) && (s.state === "draft" || (s.state === "revision_requested" && latest && latest.number !== s.submitted_version));
  const canDraw = staff && !!version && version.artifacts.some((a) => a.mime.startsWith("image/") || a.mime === "application/pdf");

  async function act(kind: string, body: Record<string, unknown> = {}): Promise<boolean> {
    setMessage(null);
    try {
      const next = await api.post<Submission>(`/api/v1/submissions/${s!.id}/actions`, { kind, ...body });
      setData(next);
      setMessage({ text: doneMessage(tr, kind), tone: "success" });
      return true;
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
      return false;
    }
  }

  async function consent(on: boolean) {
    setConsentNote(null);
    setMessage(null);
    try {
      const next = await api.post<Submission>(`/api/v1/submissions/${s!.id}/actions`, { kind: on ? "consent" : "withdraw_consent" });
      setData(next);
      setMessage({ text: on ? tr("sub.consentGiven") : tr("sub.consentWithdrawn"), tone: "success" });
    } catch (e) {
      const msg = errorMessage(e);
      if (self && /guardian|family/i.test(msg)) setConsentNote(tr("sub.guardianDecides"));
      else setMessage({ text: msg, tone: "error" });
    }
  }

  async function saveVersion(p: EvidencePayload) {
    const next = await api.post<Submission>(`/api/v1/submissions/${s!.id}/versions`, {
      text: p.text,
      link: p.link,
      reflection: p.reflection,
      tags: p.tags,
      artifacts: p.artifacts,
      submit: p.submit,
    });
    setData(next);
    setMode("view");
    setViewNo(null);
    setMessage({ text: p.submit ? tr("sub.versionSubmitted", { n: next.current_version ?? "" }) : tr("sub.versionDraft", { n: next.current_version ?? "" }), tone: "success" });
    topRef.current?.scrollIntoView({ block: "start" });
  }

  const crumbs = self
    ? [{ to: "/me/portfolio", label: tr("nav.myPortfolio") }]
    : guardian
      ? [
          { to: "/children", label: tr("nav.myChildren") },
          { to: portfolioPath(me.role, s.student.id), label: tr("portfolio.sharedOf", { name: s.student.name }) },
        ]
      : [
          { to: "/review", label: "Review queue" },
          { to: portfolioPath(me.role, s.student.id), label: `${s.student.name}'s portfolio` },
        ];

  return (
    <div className="page page-wide" ref={topRef}>
      <PageHeader
        crumbs={crumbs}
        title={s.title}
        subtitle={
          <>
            <span className="code">{s.badge}</span> {badge?.title ?? ""}
            {!self && <> · {s.student.name}</>} · {tr("portfolio.versions", { count: s.versions })}
            {s.submitted_at ? ` · ${tr("sub.submittedOn", { date: formatDate(s.submitted_at) })}` : ""}
          </>
        }
        actions={<SubmissionStateChip state={s.state} />}
      />
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}

      {s.state === "revision_requested" && s.revision_message && (
        <div className="notice notice-warn revision-notice" role="region" aria-label={tr("submission.revision_requested")}>
          <strong>{self ? tr("sub.teacherAskedSelf") : guardian ? tr("sub.teacherAsked") : "Revision requested"}</strong>
          <p className="revision-message">{s.revision_message}</p>
          {canRevise && mode !== "revise" && (
            <div>
              <button type="button" className="btn btn-primary btn-sm" onClick={() => setMode("revise")}>
                {tr("sub.revise")}
              </button>
            </div>
          )}
        </div>
      )}
      {s.state === "accepted" && (
        <div className="notice notice-success" role="note">
          <div className="notice-body">
            <strong>{tr("sub.accepted")}</strong> {self ? tr("sub.counts") + " " : ""}
            {s.ratings.length > 0 ? tr("sub.ratingsBelow") : ""}
          </div>
        </div>
      )}
      {s.state === "draft" && (self || staff) && (
        <div className="notice notice-info" role="note">
          <div className="notice-body">
            <strong>{tr("sub.draft")}</strong> {self ? tr("sub.draftSelf") : "Only the student and their teachers can see it. Submit it when it is ready for feedback."}
          </div>
        </div>
      )}

      {mode === "revise" && catalog && latest ? (
        <section aria-labelledby="revise-title">
          <h2 id="revise-title" className="section-title">
            {s.state === "draft" ? tr("sub.editDraft") : tr("sub.version", { n: latest.number + 1 })}
          </h2>
          <EvidenceForm
            studentId={s.student.id}
            catalog={catalog}
            mode="revise"
            initial={{ badge: s.badge, title: s.title, version: latest }}
            behalf={!self}
            onSave={saveVersion}
            onCancel={() => setMode("view")}
          />
        </section>
      ) : (
        <div className="sub-layout">
          <div className="sub-main">
            {s.history.length > 1 && (
              <div className="version-bar">
                <label className="field-inline small">
                  <span>{tr("sub.showing")}</span>
                  <select value={shownNo} onChange={(e) => setViewNo(Number(e.target.value))} aria-label={tr("sub.versionShown")}>
                    {s.history.map((v) => (
                      <option key={v.number} value={v.number}>
                        {tr("sub.version", { n: v.number })}
                        {v.number === s.current_version ? ` ${tr("sub.newest")}` : ""}
                        {v.number === s.submitted_version ? ` ${tr("sub.submitted")}` : ""}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" className="btn btn-secondary btn-sm" aria-pressed={mode === "compare"} onClick={() => setMode(mode === "compare" ? "view" : "compare")}>
                  {mode === "compare" ? tr("sub.hideCompare") : tr("sub.compare")}
                </button>
              </div>
            )}
            {mode === "compare" && <CompareView submission={s} onClose={() => setMode("view")} />}
            {version && (
              <article className="card work" aria-label={tr("sub.version", { n: version.number })}>
                <p className="small muted work-meta">
                  {tr("sub.version", { n: version.number })} · {formatDate(version.at)}
                  {version.author && version.author.id !== s.student.id ? ` · ${tr("sub.addedBy", { name: version.author.name })}` : ""}
                </p>
                {version.artifacts.length > 0 && (
                  <ArtifactViewer
                    artifacts={version.artifacts}
                    source={studentFiles}
                    markers={markers}
                    focus={focus}
                    label={tr("sub.filesOf", { n: version.number })}
                    draw={staff ? { active: drawing, value: anchor, onChange: setAnchor } : undefined}
                  />
                )}
                {version.text && (
                  <>
                    <h2 className="work-h">{tr("form.typed")}</h2>
                    <div className="work-text">{version.text}</div>
                  </>
                )}
                {version.link && (
                  <p>
                    <strong>{tr("sub.link")} </strong>
                    <a href={version.link} target="_blank" rel="noopener noreferrer">
                      {version.link}
                    </a>
                  </p>
                )}
                {version.reflection && (
                  <>
                    <h2 className="work-h">{tr("sub.reflection")}</h2>
                    <div className="work-text reflection">{version.reflection}</div>
                  </>
                )}
                <h2 className="work-h">{tr("sub.shows")}</h2>
                <ul className="tag-list">
                  {version.tags.map((t, i) => {
                    const cpe = badge?.cpes.find((c) => c.id === t.cpe);
                    const ind = cpe?.indicators?.find((x) => x.id === t.indicator);
                    return (
                      <li key={i}>
                        <span className="code code-sm">{t.cpe}</span> {cpe?.label ?? ""}
                        {ind ? <span className="muted"> · {ind.label}</span> : ""}
                      </li>
                    );
                  })}
                </ul>
              </article>
            )}

            <section aria-labelledby="thread-title">
              <h2 id="thread-title" className="section-title">
                {tr("sub.thread")}
              </h2>
              <div className="card">
                <FeedbackThread submission={s} levels={levels} onShowAnchor={(a) => setFocus({ artifact: a.artifact, page: a.page, seq: Date.now() })} />
              </div>
            </section>
          </div>

          <aside className="sub-side" aria-label={tr("sub.about")}>
            {(canRevise || canSubmit) && (
              <section className="card side-actions">
                <h2 className="section-title inline">{tr("sub.nextStep")}</h2>
                {canRevise && (
                  <button type="button" className={s.state === "revision_requested" ? "btn btn-primary btn-block" : "btn btn-secondary btn-block"} onClick={() => setMode("revise")}>
                    {s.state === "draft" ? tr("sub.editDraft") : tr("sub.reviseNew")}
                  </button>
                )}
                {canSubmit && (
                  <button type="button" className="btn btn-primary btn-block" onClick={() => act("submit")}>
                    {s.state === "draft" ? tr("sub.submitToTeacher") : tr("sub.submitVersion", { n: latest?.number ?? "" })}
                  </button>
                )}
              </section>
            )}

            {(self || staff || (guardian && s.shared)) && (
              <SelfAssessment studentId={s.student.id} submissionId={s.id} own={self} badge={badge} levels={levels} tagged={[...new Set(s.history.flatMap((v) => v.tags.map((t) => t.cpe)))]} />
            )}

            {staff && <ReviewPanel submission={s} version={version} badge={badge} levels={levels} act={act} drawing={drawing} setDrawing={setDrawing} anchor={anchor} setAnchor={setAnchor} onRated={reload} canDraw={canDraw} />}

            {!guardian || s.shared ? <PeerReviews submissionId={s.id} studentId={s.student.id} staff={staff} submitted={s.submitted_version != null} /> : null}

            {s.ratings.length > 0 && (
              <section className="card" aria-labelledby="ratings-title">
                <h2 id="ratings-title" className="section-title inline">
                  {tr("sub.ratings")}
                </h2>
                <ul className="rating-list">
                  {s.ratings.map((r) => (
                    <li key={r.id} data-cpe={r.cpe}>
                      <span>
                        <span className="code code-sm">{r.cpe}</span> {badge?.cpes.find((c) => c.id === r.cpe)?.label ?? ""}
                      </span>
                      <LevelChip levels={levels} level={r.level} size="sm" />
                      <span className="small muted block">
                        {tr("sub.version", { n: r.version })} · {formatDate(r.demonstrated_on)}
                        {r.recorded_by ? ` · ${r.recorded_by.name}` : ""}
                      </span>
                      {r.note && <p className="feedback">{r.note}</p>}
                    </li>
                  ))}
                </ul>
              </section>
            )}

            {self && (
              <section className="card" aria-labelledby="sharing-title">
                <h2 id="sharing-title" className="section-title inline">
                  {tr("sub.sharing")}
                </h2>
                <Toggle on={s.shared} label={tr("sub.shareFamily")} hint={tr("sub.shareFamilyHint")} onChange={(on) => act(on ? "share" : "unshare")} />
                <Toggle
                  on={s.showcased}
                  label={tr("sub.showcase")}
                  hint={s.state === "draft" ? tr("sub.submitFirst") : tr("sub.showcaseHint")}
                  disabled={s.state === "draft" && !s.showcased}
                  onChange={(on) => act(on ? "showcase" : "unshowcase")}
                />
                <ConsentBlock consented={s.consented} onChange={consent} who="self" note={consentNote} />
              </section>
            )}
            {guardian && (
              <section className="card" aria-labelledby="consent-title">
                <h2 id="consent-title" className="section-title inline">
                  {tr("sub.useAsExample")}
                </h2>
                <ConsentBlock consented={s.consented} onChange={consent} who="guardian" note={null} name={s.student.name.split(" ")[0]} />
              </section>
            )}
            {staff && (
              <section className="card small" aria-label="Student's choices">
                <p>
                  {s.shared ? "Shared with the family." : "Not shared with the family."} {s.showcased ? "In the student's showcase." : ""}
                </p>
                <p>{s.consented ? "Consent to use as an anonymous example: given." : "No consent to use as an example."}</p>
                <p>
                  <Link to={`/students/${encodeURIComponent(s.student.id)}/portfolio`}>All of {s.student.name}'s portfolio</Link>
                </p>
              </section>
            )}
            {version && taggedCpes(version).length > 0 && s.ratings.length === 0 && s.state === "accepted" && self && <p className="small muted">{tr("sub.noRatings")}</p>}
          </aside>
        </div>
      )}
    </div>
  );
}

const DONE: Record<string, string> = {
  submit: "Submitted. Your teacher will see it in the review queue.",
  start_review: "Review started.",
  request_revision: "Revision requested. The student sees your message at the top of the work.",
  accept: "Accepted.",
  feedback: "Feedback added.",
  share: "Shared with your family.",
  unshare: "No longer shared with your family.",
  showcase: "Added to your showcase.",
  unshowcase: "Removed from your showcase.",
  nominate_exemplar: "Nominated as an exemplar.",
};

function doneMessage(t: T, kind: string): string {
  switch (kind) {
    case "submit":
      return t("sub.done.submit");
    case "share":
      return t("sub.done.share");
    case "unshare":
      return t("sub.done.unshare");
    case "showcase":
      return t("sub.done.showcase");
    case "unshowcase":
      return t("sub.done.unshowcase");
    default:
      return DONE[kind] ?? t("sub.done.saved");
  }
}

function ConsentBlock({ consented, onChange, who, note, name }: { consented: boolean; onChange: (on: boolean) => void; who: "self" | "guardian"; note: string | null; name?: string }) {
  const t = useT();
  return (
    <div className="consent">
      <Toggle
        on={consented}
        label={who === "self" ? t("sub.consentSelf") : name ? t("sub.consentOf", { name }) : t("sub.consentThis")}
        hint={who === "self" ? t("sub.consentSelfHint") : t("sub.consentHint")}
        onChange={onChange}
      />
      {note && (
        <p className="notice notice-info small consent-note" role="status">
          {note}
        </p>
      )}
    </div>
  );
}
