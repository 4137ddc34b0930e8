// The review queue: submitted work waiting for a teacher, oldest first, with
// filters for section, badge and how long it has waited.
import { useMemo } from "react";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate, plural } from "../lib/format";
import { Link, navigate, useLocation } from "../lib/router";
import type { Section } from "../lib/types";
import { useCatalog } from "../lib/catalog";
import type { QueueItem } from "../lib/portfolio";
import { Empty, ErrorNotice, PageHeader, Spinner } from "../components/ui";
import { SubmissionStateChip } from "../components/portfolio/bits";

export function ReviewQueuePage() {
  useDocumentTitle("Review queue");
  const { search, pathname } = useLocation();
  const section = search.get("section") ?? "";
  const badge = search.get("badge") ?? "";
  const days = search.get("older_than_days") ?? "";
  const q = new URLSearchParams();
  if (section) q.set("section", section);
  if (badge) q.set("badge", badge);
  if (days) q.set("older_than_days", days);
  const qs = q.toString();
  const { data, error, loading, reload } = useApi<{ queue: QueueItem[] }>(`/api/v1/portfolio/queue${qs ? "?" + qs : ""}`);
  const sections = useApi<Section[]>("/api/v1/sections").data;
  const { catalog } = useCatalog();

  const badgeOptions = useMemo(() => {
    const codes = section ? sections?.find((s) => s.id === section)?.badges ?? [] : [...new Set(sections?.flatMap((s) => s.badges) ?? [])].sort();
    return codes.map((c) => ({ code: c, title: catalog?.badges.find((b) => b.code === c)?.title ?? "" }));
  }, [sections, section, catalog]);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === "section") next.delete("badge");
    const s = next.toString();
    navigate(pathname + (s ? "?" + s : ""), { replace: true });
  };

  return (
    <div className="page">
      <PageHeader
        title="Review queue"
        subtitle="Work students submitted for feedback, the longest-waiting first."
        actions={
          <>
            <Link to="/exemplars" className="btn btn-secondary btn-sm">
              Exemplar bank
            </Link>
            <Link to="/calibration" className="btn btn-secondary btn-sm">
              Calibration
            </Link>
          </>
        }
      />
      <form className="toolbar queue-filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter the queue">
        <div className="field field-inline">
          <label htmlFor="q-section">Section</label>
          <select id="q-section" value={section} onChange={(e) => setFilter("section", e.target.value)}>
            <option value="">All my sections</option>
            {sections?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor="q-badge">Badge</label>
          <select id="q-badge" value={badge} onChange={(e) => setFilter("badge", e.target.value)}>
            <option value="">All badges</option>
            {badgeOptions.map((b) => (
              <option key={b.code} value={b.code}>
                {b.code} {b.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor="q-days">Waiting at least</label>
          <select id="q-days" value={days} onChange={(e) => setFilter("older_than_days", e.target.value)}>
            <option value="">Any time</option>
            <option value="1">1 day</option>
            <option value="3">3 days</option>
            <option value="7">7 days</option>
            <option value="14">14 days</option>
          </select>
        </div>
      </form>
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading the queue…" />}
      {data && data.queue.length === 0 && <Empty title="Nothing is waiting for review">{qs ? "No work matches these filters." : "When a student submits work, it shows here."}</Empty>}
      {data && data.queue.length > 0 && (
        <>
          <p className="muted small" aria-live="polite">
            {plural(data.queue.length, "piece")} of work waiting, oldest first.
          </p>
          <ol className="sub-list queue-list">
            {data.queue.map((item) => (
              <li key={item.id} className="card sub-item" data-submission={item.id} data-state={item.state}>
                <div className="sub-item-main">
                  <p className="queue-who">{item.student.name}</p>
                  <h2 className="queue-title">
                    <Link to={`/portfolio/${item.id}`} className="stretched">
                      {item.title}
                    </Link>
                  </h2>
                  <p className="small muted">
                    <span className="code code-sm">{item.badge}</span> · version {item.version}
                    {item.versions > 1 ? " (revised)" : ""} · submitted {formatDate(item.submitted_at)}
                    {item.feedback ? ` · ${plural(item.feedback, "comment")}` : ""}
                  </p>
                </div>
                <div className="sub-item-side">
                  <SubmissionStateChip state={item.state} />
                  <span className={(item.waiting_days ?? 0) >= 7 ? "wait wait-long" : "wait"}>
                    {item.waiting_days ? `Waiting ${plural(item.waiting_days, "day")}` : "Today"}
                  </span>
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
