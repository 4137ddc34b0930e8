import { useMemo, useState } from "react";
import { api, errorMessage } from "../lib/api";
import { canRate, useMe } from "../lib/auth";
import { scaleOf, useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { useT } from "../i18n";
import { Link, navigate, useLocation } from "../lib/router";
import type { BadgeProgress, Catalog, Evidence, PathwayState, Progress, StudentInfo } from "../lib/types";
import { ErrorNotice, LevelChip, LiveMessage, PageHeader, Spinner, StateIcon, TabPanel, Tabs } from "../components/ui";
import { PathwayMap } from "../components/PathwayMap";
import { BadgeCard } from "../components/BadgeCard";
import { Interventions } from "../components/Interventions";
import { NeedsAttention } from "../components/NeedsAttention";
import { EvidenceList } from "../components/Evidence";
import { CpeTrend } from "../components/CpeTrend";

type Tab = "pathway" | "badges" | "habits" | "evidence" | "support";

export function StudentPage({ studentId }: { studentId: string }) {
  const me = useMe();
  const t = useT();
  const self = me.role === "student";
  const base = self ? "/me" : `/students/${encodeURIComponent(studentId)}`;
  const id = encodeURIComponent(studentId);
  const info = useApi<StudentInfo>(`/api/v1/students/${id}`);
  const progress = useApi<Progress>(`/api/v1/students/${id}/progress`);
  const evidence = useApi<Evidence[]>(`/api/v1/students/${id}/evidence`);
  const { catalog } = useCatalog();
  const { search, pathname } = useLocation();
  const staff = me.role !== "student" && me.role !== "guardian";
  const tab = (search.get("tab") as Tab | null) ?? (staff ? "badges" : "pathway");
  const name = info.data?.name ?? progress.data?.student.name ?? "";
  const firstName = name.split(" ")[0];
  useDocumentTitle(self ? t("nav.myLearning") : name || t("role.student"));

  const setTab = (t: Tab) => navigate(`${pathname}?tab=${t}`, { replace: true });
  const error = info.error ?? progress.error;

  const crumbs =
    me.role === "guardian"
      ? [{ to: "/children", label: t("nav.myChildren") }]
      : staff
        ? [{ to: "/sections", label: me.role === "teacher" ? "My sections" : "Sections" }]
        : undefined;

  return (
    <div className="page">
      <PageHeader
        crumbs={crumbs}
        title={self ? (firstName ? t("student.hi", { name: firstName }) : t("student.hiThere")) : name || t("role.student")}
        subtitle={
          info.data
            ? [info.data.grade ? t("grade", { grade: info.data.grade }) : "", info.data.school ?? "", info.data.sections.map((s) => s.title).join(", ")].filter(Boolean).join(" · ")
            : undefined
        }
        actions={
          self ? undefined : (
            <>
              <Link to={`${base}/portfolio`} className="btn btn-secondary">
                {me.role === "guardian" ? t("student.sharedWork") : "Portfolio"}
                <span className="sr-only"> {t("student.ofName", { name: name || t("student.thisStudent") })}</span>
              </Link>
              {staff && (
                <Link to={`${base}/portfolio/new`} className="btn btn-secondary">
                  Add work (photo)<span className="sr-only"> for {name || "this student"}</span>
                </Link>
              )}
              <Link to={`${base}/credentials`} className="btn btn-secondary">
                {t("student.credentials")}
                <span className="sr-only"> {t("student.ofName", { name: name || t("student.thisStudent") })}</span>
              </Link>
              {/* A plain link: the browser downloads the PDF with the session cookie. */}
              <a href={`/api/v1/students/${id}/report-card.pdf`} className="btn btn-secondary" download>
                {t("student.reportCard")}
                <span className="sr-only"> {t("student.ofNameDownload", { name: name || t("student.thisStudent") })}</span>
              </a>
            </>
          )
        }
      />
      {error !== undefined && <ErrorNotice error={error} title={self ? t("student.loadFailedSelf") : t("student.loadFailed")} />}
      {progress.loading && !progress.data && <Spinner label={t("student.loading")} />}
      {progress.data && (
        <>
          {self && <NeedsAttention studentId={studentId} badges={progress.data.badges} />}
          <Summary badges={progress.data.badges} self={self} name={firstName} />
          <Tabs<Tab>
            label={t("student.views")}
            value={tab}
            onChange={setTab}
            tabs={[
              { id: "pathway", label: t("student.tab.pathway") },
              { id: "badges", label: t("student.tab.badges") },
              { id: "habits", label: t("student.tab.habits") },
              { id: "evidence", label: self ? t("student.tab.evidenceSelf") : t("student.tab.evidence") },
              { id: "support", label: t("student.tab.support") },
            ]}
          />
          {tab === "pathway" && (
            <TabPanel id="pathway">
              {catalog ? (
                <PathwayMap catalog={catalog} badges={progress.data.badges} linkFor={(code) => `${base}/badges/${encodeURIComponent(code)}`} label={self ? t("map.mine") : t("map.of", { name })} />
              ) : (
                <Spinner />
              )}
            </TabPanel>
          )}
          {tab === "badges" && (
            <TabPanel id="badges">
              <BadgeGroups progress={progress.data} info={info.data} catalog={catalog} base={base} studentId={studentId} onChanged={progress.reload} />
            </TabPanel>
          )}
          {tab === "habits" && (
            <TabPanel id="habits">
              <Habits progress={progress.data} catalog={catalog} self={self} />
            </TabPanel>
          )}
          {tab === "support" && (
            <TabPanel id="support">
              <Interventions studentId={studentId} catalog={catalog} canEdit={staff} name={self ? "" : firstName} />
            </TabPanel>
          )}
          {tab === "evidence" && (
            <TabPanel id="evidence">
              <h2 className="section-title">{self ? t("student.evidenceTitleSelf") : t("student.tab.evidence")}</h2>
              {evidence.error !== undefined && <ErrorNotice error={evidence.error} />}
              {staff && evidence.data && catalog && <CpeTrend evidence={evidence.data} catalog={catalog} />}
              {evidence.data ? <EvidenceList evidence={evidence.data} catalog={catalog} /> : <Spinner />}
            </TabPanel>
          )}
        </>
      )}
    </div>
  );
}

function Summary({ badges, self, name }: { badges: BadgeProgress[]; self: boolean; name: string }) {
  const t = useT();
  const count = (s: PathwayState) => badges.filter((b) => b.state === s).length;
  const states: PathwayState[] = ["earned", "in_progress", "available", "locked"];
  return (
    <section className="summary" aria-label={self ? t("student.glanceSelf") : t("student.glance", { name })}>
      {states.map((s) => (
        <div key={s} className={`stat stat-${s}`}>
          <StateIcon state={s} size={18} />
          <span className="stat-value">{count(s)}</span>
          <span className="stat-label">{t(`stat.${s}`)}</span>
        </div>
      ))}
    </section>
  );
}

function BadgeGroups({ progress, info, catalog, base, studentId, onChanged }: { progress: Progress; info: StudentInfo | undefined; catalog: Catalog | undefined; base: string; studentId: string; onChanged: () => Promise<void> }) {
  const me = useMe();
  const t = useT();
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const sectionBadges = useMemo(() => new Set(info?.sections.flatMap((s) => s.badges) ?? []), [info]);
  const order: PathwayState[] = ["in_progress", "earned", "available", "locked"];
  const headings: Record<PathwayState, string> = {
    in_progress: t("stat.in_progress"),
    earned: t("stat.earned"),
    available: t("stat.available"),
    locked: t("student.lockedForNow"),
  };

  async function confirm(code: string) {
    setBusy(code);
    try {
      await api.post(`/api/v1/students/${encodeURIComponent(studentId)}/badges/${encodeURIComponent(code)}/award`, { action: "confirm" });
      setMessage({ text: `${code} confirmed for ${progress.student.name}.`, tone: "success" });
      await onChanged();
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div>
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {order.map((state) => {
        const list = progress.badges
          .filter((b) => b.state === state)
          .sort((a, b) => Number(sectionBadges.has(b.badge)) - Number(sectionBadges.has(a.badge)));
        if (!list.length) return null;
        const body = (
          <ul className="card-grid badge-grid">
            {list.map((p) => {
              const levels = scaleOf(catalog, catalog?.badges.find((b) => b.code === p.badge))?.levels ?? [];
              const canConfirm = canRate(me.role) && p.award.state === "proposed";
              return (
                <li key={p.badge}>
                  <BadgeCard
                    progress={p}
                    levels={levels}
                    href={`${base}/badges/${encodeURIComponent(p.badge)}`}
                    action={
                      canConfirm ? (
                        <button type="button" className="btn btn-primary btn-sm" disabled={busy === p.badge} onClick={() => confirm(p.badge)}>
                          Confirm award
                        </button>
                      ) : undefined
                    }
                  />
                </li>
              );
            })}
          </ul>
        );
        return (
          <section key={state} className="badge-group" aria-labelledby={`group-${state}`}>
            <h2 id={`group-${state}`} className="section-title">
              {headings[state]} <span className="count">{list.length}</span>
            </h2>
            {state === "locked" ? (
              <details className="locked-group">
                <summary>{t("student.showLocked", { count: list.length })}</summary>
                {body}
              </details>
            ) : (
              body
            )}
          </section>
        );
      })}
    </div>
  );
}

function Habits({ progress, catalog, self }: { progress: Progress; catalog: Catalog | undefined; self: boolean }) {
  const scale = catalog?.scales.find((s) => s.id === catalog.habits?.scale);
  const levels = scale?.levels ?? [];
  const habits = progress.habits_of_work;
  const t = useT();
  return (
    <div>
      <h2 className="section-title">{t("student.tab.habits")}</h2>
      <p className="muted">{self ? t("habits.introSelf") : t("habits.intro")}</p>
      {habits.length === 0 ? (
        <p className="muted">{t("habits.none")}</p>
      ) : (
        <ul className="card-grid habit-grid">
          {habits.map((h) => (
            <li key={h.habit} className="card habit-card">
              <h3>{h.label}</h3>
              <p className="small muted">{catalog?.habits?.items.find((i) => i.id === h.habit)?.description}</p>
              <LevelChip levels={levels} level={h.level ?? null} label={h.level_label} />
              {h.observed_on && (
                <p className="small muted">
                  {t("habits.lastObserved", { date: formatDate(h.observed_on) })}
                  {h.observations ? ` · ${t("habits.observations", { count: h.observations })}` : ""}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
