import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { canRate, useMe } from "../lib/auth";
import { findBadge, useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { plural } from "../lib/format";
import { Link, useLocation } from "../lib/router";
import type { Grid, GridStudent, RecordOutcome, ScaleLevel } from "../lib/types";
import { Dialog, Empty, ErrorNotice, LevelChip, LiveMessage, PageHeader, Spinner } from "../components/ui";
import { RatingForm, type RatingTarget } from "../components/RatingForm";
import { SectionDownloads } from "../components/SectionDownloads";
import type { AssessmentItem } from "../lib/alignment";

export function GridPage({ sectionId }: { sectionId: string }) {
  const me = useMe();
  const { search } = useLocation();
  const badgeParam = search.get("badge");
  const path = `/api/v1/sections/${encodeURIComponent(sectionId)}/grid${badgeParam ? `?badge=${encodeURIComponent(badgeParam)}` : ""}`;
  const { data: grid, error, loading, reload } = useApi<Grid>(path);
  const { catalog } = useCatalog();
  const writable = canRate(me.role);
  // The badge's assessment items, for the rating form (staff only may read them).
  const items = useApi<{ badge: string; items: AssessmentItem[] }>(writable && grid ? `/api/v1/catalog/badges/${encodeURIComponent(grid.badge.code)}/assessment-items` : null);
  useDocumentTitle(grid ? `${grid.badge.code} · ${grid.section.title}` : "Mastery grid");

  const [active, setActive] = useState<{ row: number; col: number }>({ row: 0, col: 0 });
  const [target, setTarget] = useState<(RatingTarget & { row: number; col: number }) | null>(null);
  const [message, setMessage] = useState<ReactNode>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const cellRefs = useRef<Map<string, HTMLTableCellElement>>(new Map());

  // A new badge or section starts at the first cell again.
  useEffect(() => {
    setActive({ row: 0, col: 0 });
    setMessage(null);
  }, [path]);

  const catalogBadge = grid ? findBadge(catalog, grid.badge.code) : undefined;
  const counts = useMemo(() => summarize(grid), [grid]);

  const focusCell = useCallback((row: number, col: number) => {
    setActive({ row, col });
    // Focus at once when the cell exists, so fast key presses land on the new cell.
    const el = cellRefs.current.get(`${row}:${col}`);
    if (el) el.focus();
    else requestAnimationFrame(() => cellRefs.current.get(`${row}:${col}`)?.focus());
  }, []);

  function open(row: number, col: number) {
    if (!grid) return;
    const student = grid.students[row];
    const cell = student.cells[col];
    const cpe = grid.cpes[col];
    setActive({ row, col });
    setTarget({ row, col, student: { id: student.id, name: student.name }, cpe, currentLevel: cell.level, currentLabel: cell.level_label });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTableCellElement>, row: number, col: number) {
    if (!grid) return;
    const rows = grid.students.length;
    const cols = grid.cpes.length;
    let r = row;
    let c = col;
    switch (e.key) {
      case "ArrowUp":
        r = Math.max(0, row - 1);
        break;
      case "ArrowDown":
        r = Math.min(rows - 1, row + 1);
        break;
      case "ArrowLeft":
        c = Math.max(0, col - 1);
        break;
      case "ArrowRight":
        c = Math.min(cols - 1, col + 1);
        break;
      case "Home":
        c = 0;
        if (e.ctrlKey) r = 0;
        break;
      case "End":
        c = cols - 1;
        if (e.ctrlKey) r = rows - 1;
        break;
      case "PageUp":
        r = Math.max(0, row - 5);
        break;
      case "PageDown":
        r = Math.min(rows - 1, row + 5);
        break;
      case "Enter":
      case " ":
        e.preventDefault();
        if (writable) open(row, col);
        return;
      default:
        return;
    }
    e.preventDefault();
    focusCell(r, c);
  }

  async function saved(outcome: RecordOutcome, level: ScaleLevel) {
    if (!target || !grid) return;
    const { row, col, student, cpe } = target;
    setTarget(null);
    await reload();
    const badge = grid.badge.code;
    setMessage(
      <>
        <p>
          Recorded <strong>{level.label}</strong> for {student.name} on {cpe.label}.
        </p>
        {outcome.award_action === "proposed" && (
          <p className="award-proposed-msg">
            {student.name} now meets every requirement of {badge}, so Cairn proposed the award. <Link to="/awards">Confirm it in Pending awards</Link>.
          </p>
        )}
        {outcome.award_action === "confirmed" && (
          <p className="award-proposed-msg">
            {student.name} now meets every requirement of {badge}; the badge was awarded automatically.
          </p>
        )}
      </>,
    );
    setFlash(`${row}:${col}`);
    window.setTimeout(() => setFlash(null), 2400);
    focusCell(row, col);
  }

  const badges = grid?.badges ?? [];
  const levels = grid?.levels ?? [];

  return (
    <div className="page page-wide">
      <PageHeader
        crumbs={[{ to: "/sections", label: me.role === "teacher" ? "My sections" : "Sections" }]}
        title={grid ? grid.section.title : "Mastery grid"}
        subtitle={grid ? `${plural(grid.students.length, "student")} · mastery grid for one badge at a time` : undefined}
      />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {grid && (
        <>
          <nav className="badge-switch" aria-label="Badges of this section">
            <ul>
              {badges.map((b) => (
                <li key={b}>
                  <Link to={`/sections/${encodeURIComponent(sectionId)}?badge=${encodeURIComponent(b)}`} aria-current={b === grid.badge.code ? "page" : undefined} className="badge-switch-link">
                    <span className="code">{b}</span>
                    <span className="badge-switch-title">{findBadge(catalog, b)?.title ?? ""}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>

          <div className="grid-intro card">
            <div>
              <h2 className="grid-title">
                <span className="code">{grid.badge.code}</span> {grid.badge.title}
              </h2>
              {catalogBadge?.description && <p className="muted small">{catalogBadge.description}</p>}
              <ul className="grid-stats" aria-label="This badge in this section">
                <li>
                  <strong>{counts.earned}</strong> earned
                </li>
                <li>
                  <strong>{counts.proposed}</strong> waiting for confirmation
                </li>
                <li>
                  <strong>{counts.working}</strong> still working
                </li>
              </ul>
            </div>
            <div className="legend" aria-label="Levels">
              <span className="legend-title">Levels</span>
              <ul>
                <li>
                  <LevelChip levels={levels} level={null} size="sm" />
                </li>
                {levels.map((l) => (
                  <li key={l.id}>
                    <LevelChip levels={levels} level={l.id} size="sm" />
                  </li>
                ))}
              </ul>
            </div>
          </div>

          {message && <LiveMessage message={message} onDismiss={() => setMessage(null)} />}

          <p className="grid-help muted small" id="grid-help">
            {writable
              ? "Use the arrow keys to move between cells. Press Enter on a cell to record evidence for that student and CPE. Select a student's name for their full progress."
              : "Use the arrow keys to move between cells. Select a student's name for their full progress."}
          </p>

          {grid.students.length === 0 ? (
            <Empty title="No students in this section yet" />
          ) : (
            <div className="grid-scroll" role="region" aria-label={`Mastery grid for ${grid.badge.code}`} tabIndex={-1}>
              <table className="mastery-grid" role="grid" aria-describedby="grid-help" aria-label={`${grid.badge.code} ${grid.badge.title}: students by CPE`}>
                <thead>
                  <tr>
                    <th scope="col" className="col-student">
                      Student
                    </th>
                    {grid.cpes.map((c) => (
                      <th scope="col" key={c.id} title={c.statement}>
                        <span className="cpe-head">{c.label}</span>
                        <span className="cpe-id">{catalogBadge?.cpes.find((x) => x.id === c.id)?.code || c.id}</span>
                      </th>
                    ))}
                    <th scope="col" className="col-award">
                      Badge
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {grid.students.map((s, r) => (
                    <tr key={s.id} data-student={s.id}>
                      <th scope="row" className="col-student">
                        <Link to={`/students/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                      </th>
                      {s.cells.map((cell, c) => {
                        const key = `${r}:${c}`;
                        const isActive = active.row === r && active.col === c;
                        return (
                          <td
                            key={cell.cpe}
                            role="gridcell"
                            ref={(el) => {
                              if (el) cellRefs.current.set(key, el);
                              else cellRefs.current.delete(key);
                            }}
                            tabIndex={isActive ? 0 : -1}
                            className={`cell${flash === key ? " just-updated" : ""}${cell.mastered ? " is-mastered" : ""}`}
                            data-cpe={cell.cpe}
                            data-level={cell.level ?? ""}
                            aria-haspopup={writable ? "dialog" : undefined}
                            onFocus={() => setActive({ row: r, col: c })}
                            onClick={() => (writable ? open(r, c) : setActive({ row: r, col: c }))}
                            onKeyDown={(e) => onKeyDown(e, r, c)}
                          >
                            <LevelChip levels={levels} level={cell.level} label={cell.level_label} size="sm" />
                            <span className="cell-count" title={plural(cell.evidence_count, "piece") + " of evidence"}>
                              <span aria-hidden="true">{cell.evidence_count > 0 ? cell.evidence_count : ""}</span>
                              <span className="sr-only">
                                {" "}
                                {plural(cell.evidence_count, "piece")} of evidence, {grid.cpes[c].label}, {s.name}
                              </span>
                            </span>
                          </td>
                        );
                      })}
                      <td className="col-award">
                        <AwardCell student={s} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {grid && <SectionDownloads sectionId={sectionId} />}
      {loading && !grid && <Spinner label="Loading the grid…" />}

      <Dialog open={target !== null} title={target ? `Record evidence · ${target.cpe.label}` : ""} onClose={() => {
        const t = target;
        setTarget(null);
        if (t) focusCell(t.row, t.col);
      }}>
        {target && grid && (
          <RatingForm
            target={target}
            levels={grid.levels.map((l) => ({ ...l, description: catalogBadge?.cpes.find((c) => c.id === target.cpe.id)?.level_descriptions?.[l.id] || catalogLevelDescription(catalog, catalogBadge?.scale, l.id) }))}
            indicators={catalogBadge?.cpes.find((c) => c.id === target.cpe.id)?.indicators}
            items={items.data?.items}
            onCancel={() => {
              const t = target;
              setTarget(null);
              focusCell(t.row, t.col);
            }}
            onSaved={saved}
          />
        )}
      </Dialog>
    </div>
  );
}

function catalogLevelDescription(catalog: ReturnType<typeof useCatalog>["catalog"], scaleId: string | undefined, level: string): string | undefined {
  if (!catalog) return undefined;
  const scale = catalog.scales.find((s) => s.id === (scaleId ?? catalog.default_scale ?? catalog.scales[0]?.id));
  return scale?.levels.find((l) => l.id === level)?.description || undefined;
}

function AwardCell({ student }: { student: GridStudent }) {
  const mastered = student.cells.filter((c) => c.mastered).length;
  switch (student.award.state) {
    case "confirmed":
      return <span className="award-tag award-tag-earned">Earned</span>;
    case "proposed":
      return (
        <Link to="/awards" className="award-tag award-tag-proposed">
          Proposed · confirm
        </Link>
      );
    default:
      return (
        <span className="award-tag">
          {mastered} of {student.cells.length} at mastery
        </span>
      );
  }
}

function summarize(grid: Grid | undefined) {
  let earned = 0;
  let proposed = 0;
  let working = 0;
  for (const s of grid?.students ?? []) {
    if (s.award.state === "confirmed") earned++;
    else if (s.award.state === "proposed") proposed++;
    else working++;
  }
  return { earned, proposed, working };
}
