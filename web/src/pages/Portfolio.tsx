// A student's portfolio, grouped by badge: the student's own ("My
// portfolio", with new evidence and the .zip export), a teacher's view of a
// student (add work on their behalf), and the family's view (shared work only).
import { useMemo } from "react";
import { useMe } from "../lib/auth";
import { useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { useT } from "../i18n";
import { Link } from "../lib/router";
import type { StudentInfo } from "../lib/types";
import { submissionPath, type SubmissionState, type SubmissionSummary } from "../lib/portfolio";
import { Empty, ErrorNotice, PageHeader, Spinner } from "../components/ui";
import { SubmissionStateChip } from "../components/portfolio/bits";

const ORDER: SubmissionState[] = ["revision_requested", "draft", "submitted", "in_review", "accepted"];

export function PortfolioPage({ studentId }: { studentId: string }) {
  const me = useMe();
  const t = useT();
  const self = me.role === "student";
  const guardian = me.role === "guardian";
  const sid = encodeURIComponent(studentId);
  const { data, error, loading, reload } = useApi<{ submissions: SubmissionSummary[] }>(`/api/v1/students/${sid}/submissions`);
  const info = useApi<StudentInfo>(self ? null : `/api/v1/students/${sid}`).data;
  const { catalog } = useCatalog();
  const name = self ? me.name : info?.name ?? guardianName(me.students, studentId) ?? "";
  useDocumentTitle(self ? t("nav.myPortfolio") : guardian ? t("portfolio.sharedOf", { name }) : `${name || "Student"}: portfolio`);

  const groups = useMemo(() => {
    const map = new Map<string, SubmissionSummary[]>();
    for (const s of data?.submissions ?? []) map.set(s.badge, [...(map.get(s.badge) ?? []), s]);
    for (const list of map.values()) list.sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || b.last_change.localeCompare(a.last_change));
    return [...map.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [data]);
  const waiting = data?.submissions.filter((s) => s.state === "revision_requested") ?? [];

  const newPath = self ? "/me/portfolio/new" : `/students/${sid}/portfolio/new`;
  const crumbs = self ? undefined : guardian ? [{ to: "/children", label: t("nav.myChildren") }] : [{ to: `/students/${sid}`, label: name || "Student" }];

  return (
    <div className="page">
      <PageHeader
        crumbs={crumbs}
        title={self ? t("nav.myPortfolio") : guardian ? t("portfolio.sharedOf", { name }) : `${name}'s portfolio`}
        subtitle={
          self
            ? t("portfolio.subtitleSelf")
            : guardian
              ? t("portfolio.subtitleFamily", { child: name.split(" ")[0] || t("portfolio.yourChild") })
              : "Submitted work, drafts and revisions. Add a phone photo of work done in class on the student's behalf."
        }
        actions={
          guardian ? undefined : (
            <>
              {self && (
                <a className="btn btn-secondary" href={`/api/v1/students/${sid}/portfolio.zip`} download="portfolio.zip">
                  <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
                    <path d="M8 2v8m0 0l-3.2-3.2M8 10l3.2-3.2M3 13h10" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
                  </svg>
                  {t("portfolio.download")}
                </a>
              )}
              <Link to={newPath} className="btn btn-primary">
                {self ? t("portfolio.new") : "Add work for this student"}
              </Link>
            </>
          )
        }
      />
      {error !== undefined && <ErrorNotice error={error} title={t("portfolio.loadFailed")} onRetry={reload} />}
      {loading && !data && <Spinner label={t("portfolio.loading")} />}
      {self && waiting.length > 0 && (
        <div className="notice notice-warn" role="region" aria-label={t("portfolio.waiting")}>
          <strong>{t("portfolio.reviseAsked", { count: waiting.length })}</strong>
          <ul className="plain-links">
            {waiting.map((s) => (
              <li key={s.id}>
                <Link to={submissionPath(me.role, s.id)}>{s.title}</Link>
                {s.revision_message ? <span>: “{s.revision_message}”</span> : null}
              </li>
            ))}
          </ul>
        </div>
      )}
      {data && data.submissions.length === 0 && (
        <Empty title={guardian ? t("portfolio.nothingShared") : self ? t("portfolio.empty") : "No portfolio work yet"}>
          {guardian ? (
            t("portfolio.nothingSharedHelp")
          ) : (
            <Link to={newPath} className="btn btn-primary btn-sm">
              {self ? t("portfolio.first") : "Add work for this student"}
            </Link>
          )}
        </Empty>
      )}
      {groups.map(([code, list]) => {
        const badge = catalog?.badges.find((b) => b.code === code);
        return (
          <section key={code} className="portfolio-group" aria-labelledby={`pg-${code}`}>
            <h2 id={`pg-${code}`} className="section-title">
              <span className="code">{code}</span> {badge?.title ?? ""} <span className="count">{list.length}</span>
            </h2>
            <ul className="sub-list">
              {list.map((s) => (
                <li key={s.id} className="card sub-item" data-submission={s.id} data-state={s.state}>
                  <div className="sub-item-main">
                    <h3>
                      <Link to={submissionPath(me.role, s.id)} className="stretched">
                        {s.title}
                      </Link>
                    </h3>
                    <p className="small muted">
                      {t("portfolio.versions", { count: s.versions })} · {s.feedback ? t("portfolio.comments", { count: s.feedback }) : t("portfolio.noComments")} · {t("portfolio.changed", { date: formatDate(s.last_change) })}
                    </p>
                    {s.state === "revision_requested" && s.revision_message && <p className="small revision-inline">{t("portfolio.revision", { message: s.revision_message })}</p>}
                  </div>
                  <div className="sub-item-side">
                    <SubmissionStateChip state={s.state} />
                    {(s.shared || s.showcased) && !guardian && (
                      <span className="small muted">
                        {[s.shared ? t("portfolio.shared") : "", s.showcased ? t("portfolio.showcase") : ""].filter(Boolean).join(" · ")}
                      </span>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function guardianName(students: { id: string; name: string }[], id: string): string | undefined {
  return students.find((s) => s.id === id)?.name;
}
