// For families: the portfolio work each child chose to share.
import { useApi } from "../../lib/hooks";
import { formatDate } from "../../lib/format";
import { Link } from "../../lib/router";
import type { Person } from "../../lib/types";
import type { SubmissionSummary } from "../../lib/portfolio";
import { SubmissionStateChip } from "./bits";
import { useT } from "../../i18n";

export function SharedWork({ children }: { children: Person[] }) {
  const t = useT();
  if (children.length === 0) return null;
  return (
    <section aria-labelledby="shared-work-title" className="shared-work">
      <h2 id="shared-work-title" className="section-title">
        {t("shared.title")}
      </h2>
      <div className="card-grid">
        {children.map((c) => (
          <ChildShared key={c.id} child={c} />
        ))}
      </div>
    </section>
  );
}

function ChildShared({ child }: { child: Person }) {
  const { data, error } = useApi<{ submissions: SubmissionSummary[] }>(`/api/v1/students/${encodeURIComponent(child.id)}/submissions`);
  const list = [...(data?.submissions ?? [])].sort((a, b) => b.last_change.localeCompare(a.last_change));
  const first = child.name.split(" ")[0];
  const t = useT();
  return (
    <div className="card shared-card" data-student={child.id}>
      <h3>{child.name}</h3>
      {error !== undefined && <p className="small muted">{t("shared.loadFailed")}</p>}
      {data && list.length === 0 && <p className="small muted">{t("shared.none", { child: first })}</p>}
      {list.length > 0 && (
        <ul className="shared-list">
          {list.slice(0, 5).map((s) => (
            <li key={s.id}>
              <Link to={`/portfolio/${s.id}`}>{s.title}</Link>
              <span className="small muted">
                {" "}
                · {s.badge} · {formatDate(s.last_change)}
              </span>{" "}
              <SubmissionStateChip state={s.state} />
            </li>
          ))}
        </ul>
      )}
      {list.length > 0 && (
        <p className="small">
          <Link to={`/students/${encodeURIComponent(child.id)}/portfolio`}>{t("shared.all", { child: first })}</Link>
        </p>
      )}
    </div>
  );
}
