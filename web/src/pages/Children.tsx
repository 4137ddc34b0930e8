import { useMe } from "../lib/auth";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { Link } from "../lib/router";
import { formatDate } from "../lib/format";
import type { Person, Progress, StudentInfo } from "../lib/types";
import { Empty, PageHeader, StateIcon } from "../components/ui";
import { SharedWork } from "../components/portfolio/SharedWork";

export function ChildrenPage() {
  useDocumentTitle("My children");
  const me = useMe();
  return (
    <div className="page">
      <PageHeader title="My children" subtitle="See the badges your children are working on, what they have earned and their teachers' feedback." />
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

function ChildCard({ child }: { child: Person }) {
  const { data } = useApi<Progress>(`/api/v1/students/${encodeURIComponent(child.id)}/progress`);
  const info = useApi<StudentInfo>(`/api/v1/students/${encodeURIComponent(child.id)}`).data;
  const earned = data?.badges.filter((b) => b.state === "earned") ?? [];
  const latest = [...earned].sort((a, b) => (b.award.confirmed_on ?? "").localeCompare(a.award.confirmed_on ?? ""))[0];
  const working = data?.badges.filter((b) => b.state === "in_progress") ?? [];
  return (
    <li className="card child-card">
      <h2>
        <Link to={`/students/${encodeURIComponent(child.id)}`} className="stretched">
          {child.name}
        </Link>
      </h2>
      {info && <p className="small muted">{[info.grade ? `Grade ${info.grade}` : "", info.school ?? ""].filter(Boolean).join(" · ")}</p>}
      {data ? (
        <ul className="child-stats">
          <li>
            <StateIcon state="earned" /> {earned.length} earned
          </li>
          <li>
            <StateIcon state="in_progress" /> {working.length} in progress
          </li>
        </ul>
      ) : (
        <p className="muted small">Loading…</p>
      )}
      {latest && (
        <p className="small">
          Latest badge: <strong>{latest.badge}</strong> {latest.title}
          {latest.award.confirmed_on ? `, ${formatDate(latest.award.confirmed_on)}` : ""}
        </p>
      )}
      {working.length > 0 && <p className="small muted">Working on {working.map((b) => b.badge).join(", ")}</p>}
      <span className="card-cta" aria-hidden="true">
        View progress →
      </span>
    </li>
  );
}
