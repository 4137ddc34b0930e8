import { useState, type FormEvent } from "react";
import { api, errorMessage } from "../lib/api";
import { canRate, useMe } from "../lib/auth";
import { scaleOf, useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { Link } from "../lib/router";
import type { FamilySummary, Progress } from "../lib/types";
import { ErrorNotice, Field, LiveMessage, PageHeader, Spinner } from "../components/ui";
import { CreditProgress, type RequirementProgress } from "../components/agency/CreditProgress";
import { SelfLevelField } from "../components/portfolio/SelfAssessment";
import { nextStepSentence, useT, type T } from "../i18n";

// GET /api/v1/students/{student}/plan
interface PlanNote {
  text: string;
  by: string;
  by_role: string;
  at: string;
}
interface LearningPlan {
  student: { id: string; name: string };
  goals: { badge: string; title: string; by: string; note: string }[];
  pathway: string;
  reflections: PlanNote[];
  comments: PlanNote[];
  conference_notes: PlanNote[];
  badge_requests: { badge: string; title: string; reason: string; note: string; state: string; decided_by: string | null }[];
  self_assessments: { cpe: string; cpe_label?: string; badge?: string; level: string; level_label?: string; note: string; at: string }[];
  revisions: number;
  history: { type: string; by: string; at: string }[];
  credit_progress?: RequirementProgress[];
  badge_requests_allowed?: boolean;
}

const REASONS = ["independent_study", "credit_recovery", "cte"] as const;
function reasonLabel(t: T, reason: string): string {
  switch (reason) {
    case "independent_study":
      return t("plan.reason.independent_study");
    case "credit_recovery":
      return t("plan.reason.credit_recovery");
    case "cte":
      return t("plan.reason.cte");
    default:
      return reason;
  }
}

const day = (instant: string) => formatDate(instant.slice(0, 10));

/** A plan entry's kind (learning_plan.cpp PlanEntryKindName) in words. */
function entryLabel(t: T, type: string): string {
  switch (type) {
    case "goals":
      return t("plan.entry.goals");
    case "reflection":
      return t("plan.entry.reflection");
    case "comment":
      return t("plan.entry.comment");
    case "request":
      return t("plan.entry.request");
    case "decision":
      return t("plan.entry.decision");
    case "self_assessment":
      return t("plan.entry.self_assessment");
    case "conference_note":
      return t("plan.entry.conference_note");
    default:
      return type.replace(/_/g, " ");
  }
}

/** A student's personal learning plan: theirs to write, their teachers' to comment on. */
export function LearningPlanPage({ studentId }: { studentId: string }) {
  const me = useMe();
  const t = useT();
  const own = me.role === "student" && me.id === studentId;
  const base = `/api/v1/students/${encodeURIComponent(studentId)}`;
  const { data: plan, error, reload, setData } = useApi<LearningPlan>(`${base}/plan`);
  const { catalog } = useCatalog();
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  useDocumentTitle(own ? t("nav.myPlan") : t("plan.title"));

  async function send(method: "post" | "put", path: string, body: unknown, done: string): Promise<boolean> {
    setMessage(null);
    try {
      const next = await api[method]<LearningPlan>(`${base}${path}`, body);
      setData((old) => (old ? { ...old, ...next } : old));
      void reload();
      setMessage({ text: done, tone: "success" });
      return true;
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
      return false;
    }
  }

  const conference = own ? "/me/conference" : `/students/${encodeURIComponent(studentId)}/conference`;
  return (
    <div className="page plan-page">
      <PageHeader
        title={own ? t("nav.myPlan") : plan ? t("plan.titleOf", { name: plan.student.name }) : t("plan.title")}
        subtitle={t("plan.subtitle")}
        actions={
          <Link to={conference} className="btn btn-secondary">
            {t("plan.conferencePage")}
          </Link>
        }
      />
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {!plan && error === undefined && <Spinner />}
      {plan && (
        <div className="plan-grid">
          <section className="card" aria-labelledby="goals-h">
            <h2 id="goals-h">{t("plan.goals")}</h2>
            {plan.goals.length === 0 ? (
              <p className="muted">{t("plan.noGoals")}</p>
            ) : (
              <ul className="plan-goals">
                {plan.goals.map((g) => (
                  <li key={g.badge}>
                    <strong>{g.title}</strong> ({g.badge}){g.by ? ` ${t("plan.by", { date: formatDate(g.by) })}` : ""}
                    {g.note ? ` · ${g.note}` : ""}
                  </li>
                ))}
              </ul>
            )}
            {catalog && (
              <p className="plan-pathway">
                {t("plan.pathway")} <strong>{catalog.pathways?.find((p) => p.id === plan.pathway)?.title ?? (plan.pathway || t("plan.notChosen"))}</strong>
              </p>
            )}
            {own && catalog && (catalog.pathways?.length ?? 0) > 0 && (
              <PathwayForm
                current={plan.pathway}
                pathways={catalog.pathways ?? []}
                onSave={(pathway) => send("put", "/plan/goals", { goals: plan.goals.map(({ badge, by, note }) => ({ badge, by, note })), pathway }, t("plan.pathwaySaved"))}
              />
            )}
            {own && catalog && <GoalForm plan={plan} badges={catalog.badges} onSave={(goals) => send("put", "/plan/goals", { goals, pathway: plan.pathway }, t("plan.goalSaved"))} />}
          </section>

          <CreditProgress items={plan.credit_progress} />

          <section className="card" aria-labelledby="refl-h">
            <h2 id="refl-h">{t("plan.reflections")}</h2>
            <NoteList notes={plan.reflections} empty={t("plan.noReflections")} />
            {own && <TextForm id="reflection" label={t("plan.newReflection")} button={t("plan.addReflection")} onSave={(text) => send("post", "/plan/reflections", { text }, t("plan.reflectionAdded"))} />}
          </section>

          <section className="card" aria-labelledby="req-h">
            <h2 id="req-h">{t("plan.outside")}</h2>
            {plan.badge_requests.length === 0 ? (
              <p className="muted">{t("plan.noRequests")}</p>
            ) : (
              <ul className="plan-requests">
                {plan.badge_requests.map((r) => (
                  <li key={r.badge} data-badge={r.badge} data-state={r.state}>
                    <strong>{r.title}</strong> ({r.badge}) · {reasonLabel(t, r.reason)} ·{" "}
                    <span className={`request-${r.state}`}>{r.state === "requested" ? t("plan.waitingTeacher") : r.state === "accepted" ? t("plan.accepted") : r.state === "declined" ? t("plan.declined") : r.state}</span>
                    {r.decided_by ? ` ${t("plan.decidedBy", { name: r.decided_by })}` : ""}
                    {!own && canRate(me.role) && r.state === "requested" && (
                      <span className="request-actions">
                        <button type="button" className="btn btn-primary btn-sm" onClick={() => send("post", `/badge-requests/${encodeURIComponent(r.badge)}/decision`, { accept: true }, `Accepted ${r.badge}.`)}>
                          Accept {r.badge}
                        </button>
                        <button type="button" className="btn btn-secondary btn-sm" onClick={() => send("post", `/badge-requests/${encodeURIComponent(r.badge)}/decision`, { accept: false }, `Declined ${r.badge}.`)}>
                          Decline {r.badge}
                        </button>
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {own && plan.badge_requests_allowed === false && <p className="small muted">{t("plan.noOutside")}</p>}
            {own && catalog && plan.badge_requests_allowed !== false && <RequestForm badges={catalog.badges} onSave={(badge, reason) => send("post", "/badge-requests", { badge, reason }, t("plan.requested", { code: badge }))} />}
          </section>

          <section className="card" aria-labelledby="self-h">
            <h2 id="self-h">{t("plan.selfTitle")}</h2>
            <p className="small muted">{t("plan.selfIntro")}</p>
            {plan.self_assessments.length > 0 && (
              <ul className="plan-self">
                {plan.self_assessments.map((s, i) => (
                  <li key={i}>
                    <span className="code code-sm">{s.cpe}</span> {s.cpe_label ?? ""}: <strong>{s.level_label ?? s.level}</strong>
                    {s.note ? ` · ${s.note}` : ""} <span className="small muted">({day(s.at)})</span>
                  </li>
                ))}
              </ul>
            )}
            {own && catalog && <SelfAssessForm catalog={catalog} onSave={(cpe, level, note) => send("post", "/self-assessments", { cpe, level, note }, t("plan.selfSaved"))} />}
          </section>

          <section className="card" aria-labelledby="comments-h">
            <h2 id="comments-h">{t("plan.comments")}</h2>
            <NoteList notes={plan.comments} empty={t("plan.noComments")} />
            {!own && canRate(me.role) && <TextForm id="comment" label="A comment for the student" button="Add comment" onSave={(text) => send("post", "/plan/comments", { text }, "Comment added.")} />}
          </section>

          <section className="card" aria-labelledby="history-h">
            <h2 id="history-h">{t("plan.history")}</h2>
            <p className="small muted">{t("plan.changes", { count: plan.revisions })}</p>
            <ol className="plan-history">
              {plan.history.slice(0, 10).map((h, i) => (
                <li key={i}>
                  {day(h.at)} · {entryLabel(t, h.type)} · {h.by}
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </div>
  );
}

function NoteList({ notes, empty }: { notes: PlanNote[]; empty: string }) {
  if (notes.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="plan-notes">
      {notes.map((n, i) => (
        <li key={i}>
          <p>{n.text}</p>
          <p className="small muted">
            {n.by}, {day(n.at)}
          </p>
        </li>
      ))}
    </ul>
  );
}

function TextForm({ id, label, button, onSave }: { id: string; label: string; button: string; onSave: (text: string) => Promise<boolean> }) {
  const [text, setText] = useState("");
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (text.trim() && (await onSave(text.trim()))) setText("");
  }
  return (
    <form onSubmit={submit} className="plan-form">
      <Field id={`${id}-text`} label={label}>
        {(f) => <textarea {...f} rows={3} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-secondary">
        {button}
      </button>
    </form>
  );
}

function BadgeSelect({ id, label, badges, value, onChange }: { id: string; label: string; badges: { code: string; title: string }[]; value: string; onChange: (code: string) => void }) {
  const t = useT();
  return (
    <Field id={id} label={label}>
      {(f) => (
        <select {...f} value={value} onChange={(e) => onChange(e.target.value)} required>
          <option value="">{t("plan.chooseBadge")}</option>
          {badges.map((b) => (
            <option key={b.code} value={b.code}>
              {b.code} {b.title}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function PathwayForm({ current, pathways, onSave }: { current: string; pathways: { id: string; title: string; description?: string }[]; onSave: (pathway: string) => Promise<boolean> }) {
  const t = useT();
  const [pathway, setPathway] = useState(current);
  const chosen = pathways.find((p) => p.id === pathway);
  return (
    <form
      className="plan-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(pathway);
      }}
    >
      <Field id="plan-pathway" label={t("plan.myPathway")} hint={chosen?.description}>
        {(f) => (
          <select {...f} value={pathway} onChange={(e) => setPathway(e.target.value)}>
            <option value="">{t("plan.notChosenYet")}</option>
            {pathways.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="btn btn-secondary" disabled={pathway === current}>
        {t("plan.savePathway")}
      </button>
    </form>
  );
}

function GoalForm({ plan, badges, onSave }: { plan: LearningPlan; badges: { code: string; title: string }[]; onSave: (goals: unknown[]) => Promise<boolean> }) {
  const t = useT();
  const [badge, setBadge] = useState("");
  const [by, setBy] = useState("");
  const [note, setNote] = useState("");
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!badge) return;
    const kept = plan.goals.filter((g) => g.badge !== badge).map(({ badge: b, by: d, note: n }) => ({ badge: b, by: d, note: n }));
    if (await onSave([...kept, { badge, by, note }])) {
      setBadge("");
      setBy("");
      setNote("");
    }
  }
  return (
    <form onSubmit={submit} className="plan-form">
      <BadgeSelect id="goal-badge" label={t("plan.badgeToEarn")} badges={badges} value={badge} onChange={setBadge} />
      <Field id="goal-by" label={t("plan.byOptional")}>
        {(f) => <input {...f} type="date" value={by} onChange={(e) => setBy(e.target.value)} />}
      </Field>
      <Field id="goal-note" label={t("plan.whyMatters")}>
        {(f) => <input {...f} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-secondary">
        {t("plan.addGoal")}
      </button>
    </form>
  );
}

function RequestForm({ badges, onSave }: { badges: { code: string; title: string }[]; onSave: (badge: string, reason: string) => Promise<boolean> }) {
  const t = useT();
  const [badge, setBadge] = useState("");
  const [reason, setReason] = useState("independent_study");
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (badge && (await onSave(badge, reason))) setBadge("");
  }
  return (
    <form onSubmit={submit} className="plan-form">
      <BadgeSelect id="request-badge" label={t("plan.badgeToWork")} badges={badges} value={badge} onChange={setBadge} />
      <Field id="request-reason" label={t("plan.as")}>
        {(f) => (
          <select {...f} value={reason} onChange={(e) => setReason(e.target.value)}>
            {REASONS.map((id) => (
              <option key={id} value={id}>
                {reasonLabel(t, id)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="btn btn-secondary">
        {t("plan.askTeacher")}
      </button>
    </form>
  );
}

function SelfAssessForm({ catalog, onSave }: { catalog: NonNullable<ReturnType<typeof useCatalog>["catalog"]>; onSave: (cpe: string, level: string, note: string) => Promise<boolean> }) {
  const t = useT();
  const [cpe, setCpe] = useState("");
  const [level, setLevel] = useState("");
  const [note, setNote] = useState("");
  const badge = catalog.badges.find((b) => b.cpes.some((c) => c.id === cpe));
  const levels = scaleOf(catalog, badge)?.levels ?? [];
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (cpe && level && (await onSave(cpe, level, note))) {
      setLevel("");
      setNote("");
    }
  }
  return (
    <form onSubmit={submit} className="plan-form">
      <Field id="self-cpe" label={t("plan.skill")}>
        {(f) => (
          <select {...f} value={cpe} onChange={(e) => setCpe(e.target.value)} required>
            <option value="">{t("plan.chooseSkill")}</option>
            {catalog.badges.map((b) => (
              <optgroup key={b.code} label={`${b.code} ${b.title}`}>
                {b.cpes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.id} {c.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
      <SelfLevelField id="self-level" label={t("plan.myWorkIsAt")} levels={levels} value={level} onChange={setLevel} disabled={!cpe} />
      <Field id="self-note" label={t("plan.whyOptional")}>
        {(f) => <input {...f} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-secondary">
        {t("plan.saveRating")}
      </button>
    </form>
  );
}

/** One page the student presents from at a student-led conference; prints cleanly. */
export function ConferencePage({ studentId }: { studentId: string }) {
  const t = useT();
  useDocumentTitle(t("plan.conferencePage"));
  const me = useMe();
  const base = `/api/v1/students/${encodeURIComponent(studentId)}`;
  const { data: plan, error, reload } = useApi<LearningPlan>(`${base}/plan`);
  const { catalog } = useCatalog();
  const summary = useApi<FamilySummary>(`${base}/family-summary`).data;
  const progress = useApi<Progress>(`${base}/progress`).data;
  const showcase = (useApi<{ submissions: { id: number; title: string; badge: string; showcased: boolean }[] }>(`${base}/submissions`).data?.submissions ?? []).filter((s) => s.showcased);
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);

  async function addNote(e: FormEvent) {
    e.preventDefault();
    if (!note.trim()) return;
    try {
      await api.post(`${base}/conference-notes`, { text: note.trim() });
      setNote("");
      setMessage({ text: t("conf.noteAdded"), tone: "success" });
      void reload();
    } catch (err) {
      setMessage({ text: errorMessage(err), tone: "error" });
    }
  }

  const accepted = plan?.badge_requests.filter((r) => r.state === "accepted") ?? [];
  return (
    <div className="page conference-page">
      <PageHeader
        title={plan ? t("conf.titleOf", { name: plan.student.name }) : t("conf.title")}
        actions={
          <button type="button" className="btn btn-secondary no-print" onClick={() => window.print()}>
            {t("conf.print")}
          </button>
        }
      />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {!plan && error === undefined && <Spinner />}
      {plan && (
        <article className="conference">
          <section aria-labelledby="c-goals">
            <h2 id="c-goals">{t("conf.goals")}</h2>
            {plan.goals.length === 0 ? (
              <p className="muted">{t("plan.noGoals")}</p>
            ) : (
              <ul>
                {plan.goals.map((g) => (
                  <li key={g.badge}>
                    {g.title}
                    {g.by ? `, ${t("plan.by", { date: formatDate(g.by) })}` : ""}
                    {g.note ? `: ${g.note}` : ""}
                  </li>
                ))}
              </ul>
            )}
            {plan.pathway && <p>{t("plan.pathway")} {catalog?.pathways?.find((p) => p.id === plan.pathway)?.title ?? plan.pathway}</p>}
          </section>
          {summary && (
            <section aria-labelledby="c-badges">
              <h2 id="c-badges">{t("conf.badges")}</h2>
              <p>
                {t("conf.earned")} {summary.earned.length === 0 ? t("conf.noneYet") : summary.earned.map((b) => b.title).join(", ")}.
              </p>
              {summary.working.length > 0 && (
                <>
                  <h3>{t("conf.next")}</h3>
                  <ul>
                    {summary.working.map((b) => (
                      <li key={b.code}>
                        <strong>{b.title}</strong> ({t("conf.skills", { done: b.done, count: b.needed })}). {nextStepSentence(t, b, summary.child)}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {accepted.length > 0 && <p>{t("conf.alsoWorking", { titles: accepted.map((r) => r.title).join(", ") })}</p>}
            </section>
          )}
          {showcase.length > 0 && (
            <section aria-labelledby="c-showcase">
              <h2 id="c-showcase">{t("conf.proud")}</h2>
              <ul>
                {showcase.map((w) => (
                  <li key={w.id}>
                    <Link to={me.role === "student" ? `/me/portfolio/${w.id}` : `/portfolio/${w.id}`}>{w.title}</Link> ({w.badge})
                  </li>
                ))}
              </ul>
            </section>
          )}
          {progress && progress.habits_of_work.length > 0 && (
            <section aria-labelledby="c-habits">
              <h2 id="c-habits">{t("student.tab.habits")}</h2>
              <ul>
                {progress.habits_of_work.map((h) => (
                  <li key={h.habit}>
                    {h.label}: {h.level_label ?? t("conf.notObserved")}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <CreditProgress items={plan.credit_progress} headingId="c-credit" heading={t("conf.credit")} />
          {plan.reflections.length > 0 && (
            <section aria-labelledby="c-refl">
              <h2 id="c-refl">{t("conf.latestReflection")}</h2>
              <p>{plan.reflections[plan.reflections.length - 1].text}</p>
            </section>
          )}
          <section aria-labelledby="c-notes">
            <h2 id="c-notes">{t("conf.notes")}</h2>
            <NoteList notes={plan.conference_notes} empty={t("conf.noNotes")} />
            {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
            {me.role !== "student" && (
              <form onSubmit={addNote} className="plan-form no-print">
                <Field id="conference-note" label={t("conf.addANote")}>
                  {(f) => <textarea {...f} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
                </Field>
                <button type="submit" className="btn btn-secondary">
                  {t("conf.addNote")}
                </button>
              </form>
            )}
          </section>
        </article>
      )}
    </div>
  );
}
