// The exemplar bank: consented, anonymized work nominated by teachers as a
// clear example of a CPE at a level, for staff to calibrate against.
import { useMemo } from "react";
import { scaleOf, useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { navigate, useLocation } from "../lib/router";
import { studentFiles, type Exemplar } from "../lib/portfolio";
import { Empty, ErrorNotice, LevelChip, PageHeader, Spinner } from "../components/ui";
import { AnonymousWork } from "../components/portfolio/ArtifactViewer";

export function ExemplarsPage() {
  useDocumentTitle("Exemplar bank");
  const { search, pathname } = useLocation();
  const cpe = search.get("cpe") ?? "";
  const { catalog } = useCatalog();
  const { data, error, loading, reload } = useApi<{ exemplars: Exemplar[] }>(`/api/v1/exemplars${cpe ? "?cpe=" + encodeURIComponent(cpe) : ""}`);
  const all = useApi<{ exemplars: Exemplar[] }>("/api/v1/exemplars").data;
  const cpes = useMemo(() => [...new Set((all?.exemplars ?? []).map((e) => e.cpe))].sort(), [all]);
  const byCpe = useMemo(() => {
    const map = new Map<string, Exemplar[]>();
    for (const e of data?.exemplars ?? []) map.set(e.cpe, [...(map.get(e.cpe) ?? []), e]);
    return [...map.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [data]);

  return (
    <div className="page">
      <PageHeader
        crumbs={[{ to: "/review", label: "Review queue" }]}
        title="Exemplar bank"
        subtitle="Student work (shared with consent, without names) that teachers nominated as a clear example of a CPE at a level."
      />
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor="ex-cpe">CPE</label>
          <select id="ex-cpe" value={cpe} onChange={(e) => navigate(pathname + (e.target.value ? `?cpe=${encodeURIComponent(e.target.value)}` : ""), { replace: true })}>
            <option value="">All CPEs</option>
            {cpes.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner />}
      {data && data.exemplars.length === 0 && <Empty title="No exemplars yet">Nominate accepted work from the review page once the student or family has consented.</Empty>}
      {byCpe.map(([c, list]) => {
        const badge = catalog?.badges.find((b) => b.cpes.some((x) => x.id === c));
        const levels = scaleOf(catalog, badge)?.levels ?? [];
        const label = badge?.cpes.find((x) => x.id === c)?.label;
        return (
          <section key={c} aria-labelledby={`ex-${c}`}>
            <h2 id={`ex-${c}`} className="section-title">
              <span className="code">{c}</span> {label ?? ""}
            </h2>
            <ul className="exemplar-list">
              {list.map((e) => (
                <li key={`${e.id}-${e.cpe}-${e.level}`} className="card exemplar">
                  <div className="exemplar-head">
                    <LevelChip levels={levels} level={e.level} />
                    <span className="small muted">
                      {e.badge} · nominated {formatDate(e.nominated_at)}
                    </span>
                  </div>
                  <AnonymousWork work={e.work} source={studentFiles} label={`Files of the ${c} exemplar`} idPrefix={`ex${e.id}`} clampText />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
