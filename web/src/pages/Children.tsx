import { useMe } from "../lib/auth";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { Link } from "../lib/router";
import { formatDate } from "../lib/format";
import type { FamilyBadge, FamilySummary, Person, StudentInfo } from "../lib/types";
import { Empty, PageHeader } from "../components/ui";
import { SharedWork } from "../components/portfolio/SharedWork";

export function ChildrenPage() {
  useDocumentTitle("My children");
  const me = useMe();
  return (
    <div className="page">
      <PageHeader title="My children" subtitle="What your children are working on, what comes next, and how you can help at home." />
      {me.students.length === 0 ? (
        <Empty title="No students are linked to your account yet">Ask your school to link your child to your account.</Empty>
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
  const { data, error } = useApi<FamilySummary>(`/api/v1/students/${encodeURIComponent(child.id)}/family-summary`);
  const info = useApi<StudentInfo>(`/api/v1/students/${encodeURIComponent(child.id)}`).data;
  return (
    <li className="card child-card family-card">
      <h2>
        <Link to={`/students/${encodeURIComponent(child.id)}`}>{child.name}</Link>
      </h2>
      {info && <p className="small muted">{[info.grade ? `Grade ${info.grade}` : "", info.school ?? ""].filter(Boolean).join(" · ")}</p>}
      <p className="small">
        <Link to={`/students/${encodeURIComponent(child.id)}/conference`}>{child.name}'s conference page and plan</Link>
      </p>
      {error !== undefined && <p className="small">This page could not load {child.name}'s badges just now.</p>}
      {!data && error === undefined && <p className="muted small">Loading…</p>}
      {data && (
        <>
          <h3 className="family-heading">Working on</h3>
          {data.working.length === 0 ? (
            <p className="small muted">{data.child} has not started a new badge yet.</p>
          ) : (
            <ul className="family-working">
              {data.working.map((b) => (
                <WorkingOn key={b.code} badge={b} />
              ))}
            </ul>
          )}
          <h3 className="family-heading">Badges earned</h3>
          {data.earned.length === 0 ? (
            <p className="small muted">No badges yet. Each one shows a set of skills {data.child} has mastered.</p>
          ) : (
            <ul className="family-earned">
              {data.earned.map((b) => (
                <li key={b.code}>
                  {b.image && <img src={b.image} alt="" width={48} height={48} loading="lazy" />}
                  <span>
                    <strong>{b.title}</strong>
                    {b.earned_on && <span className="small muted"> · earned {formatDate(b.earned_on)}</span>}
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

function WorkingOn({ badge }: { badge: FamilyBadge }) {
  return (
    <li className="family-badge" data-badge={badge.code}>
      <p>
        <strong>{badge.title}</strong>
        <span className="small muted">
          {" "}
          · {badge.done} of {badge.needed} skills shown
        </span>
      </p>
      <p className="family-next">{badge.next_step}</p>
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
          <p className="small">How to help at home:</p>
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
