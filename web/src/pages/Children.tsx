import { useMe } from "../lib/auth";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { Link } from "../lib/router";
import { formatDate } from "../lib/format";
import type { FamilyBadge, FamilySummary, Person, StudentInfo } from "../lib/types";
import { Empty, PageHeader } from "../components/ui";
import { SharedWork } from "../components/portfolio/SharedWork";
import { nextStepSentence, useT } from "../i18n";

export function ChildrenPage() {
  const t = useT();
  useDocumentTitle(t("children.title"));
  const me = useMe();
  return (
    <div className="page">
      <PageHeader title={t("children.title")} subtitle={t("children.subtitle")} />
      {me.students.length === 0 ? (
        <Empty title={t("children.none")}>{t("children.noneHelp")}</Empty>
      ) : (
        <ul className="card-grid">
          {me.students.map((s) => (
            <ChildCard key={s.id} child={s} />
          ))}
        </ul>
      )}
      <SharedWork children={me.students} />
    </div>
  );
}

// Written for families: badges by their titles and pictures, the next step
// in one sentence, the teacher's latest note and how to help at home. No
// codes without titles, no evidence-kind names, no scores.
function ChildCard({ child }: { child: Person }) {
  const t = useT();
  const { data, error } = useApi<FamilySummary>(`/api/v1/students/${encodeURIComponent(child.id)}/family-summary`);
  const info = useApi<StudentInfo>(`/api/v1/students/${encodeURIComponent(child.id)}`).data;
  return (
    <li className="card child-card family-card">
      <h2>
        <Link to={`/students/${encodeURIComponent(child.id)}`}>{child.name}</Link>
      </h2>
      {info && <p className="small muted">{[info.grade ? t("grade", { grade: info.grade }) : "", info.school ?? ""].filter(Boolean).join(" · ")}</p>}
      <p className="small">
        <Link to={`/students/${encodeURIComponent(child.id)}/conference`}>{t("children.conference", { child: child.name })}</Link>
      </p>
      {error !== undefined && <p className="small">{t("children.loadFailed", { child: child.name })}</p>}
      {!data && error === undefined && <p className="muted small">{t("ui.loading")}</p>}
      {data && (
        <>
          <h3 className="family-heading">{t("children.workingOn")}</h3>
          {data.working.length === 0 ? (
            <p className="small muted">{t("children.notStarted", { child: data.child })}</p>
          ) : (
            <ul className="family-working">
              {data.working.map((b) => (
                <WorkingOn key={b.code} badge={b} child={data.child} />
              ))}
            </ul>
          )}
          <h3 className="family-heading">{t("children.earned")}</h3>
          {data.earned.length === 0 ? (
            <p className="small muted">{t("children.noneEarned", { child: data.child })}</p>
          ) : (
            <ul className="family-earned">
              {data.earned.map((b) => (
                <li key={b.code}>
                  {b.image && <img src={b.image} alt="" width={48} height={48} loading="lazy" />}
                  <span>
                    <strong>{b.title}</strong>
                    {b.earned_on && <span className="small muted"> · {t("children.earnedOn", { date: formatDate(b.earned_on) })}</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </li>
  );
}

function WorkingOn({ badge, child }: { badge: FamilyBadge; child: string }) {
  const t = useT();
  return (
    <li className="family-badge" data-badge={badge.code}>
      <p>
        <strong>{badge.title}</strong>
        <span className="small muted">
          {" "}
          · {t("children.skillsShown", { done: badge.done, count: badge.needed })}
        </span>
      </p>
      <p className="family-next">{nextStepSentence(t, badge, child)}</p>
      {badge.last_note && (
        <blockquote className="family-note">
          <p>{badge.last_note.text}</p>
          <footer className="small muted">
            {badge.last_note.by}, {formatDate(badge.last_note.on)}
          </footer>
        </blockquote>
      )}
      {badge.help.length > 0 && (
        <div className="family-help">
          <p className="small">{t("children.help")}</p>
          <ul>
            {badge.help.map((h) => (
              <li key={h.url}>
                <a href={h.url} target="_blank" rel="noopener noreferrer">
                  {h.title}
                </a>
                {h.provider && <span className="small muted"> ({h.provider})</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}
