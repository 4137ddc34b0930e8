import { useState, type FormEvent } from "react";
import { useMe } from "../lib/auth";
import { api, ApiError, errorMessage } from "../lib/api";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate, plural } from "../lib/format";
import { Link } from "../lib/router";
import {
  planBase,
  ROW_STATUSES,
  type CellValue,
  type Implementation,
  type RowStatus,
  type RowWithHistory,
  type TrackerColumn,
  type TrackerDefinition,
  type TrackerRow,
  type TrackerRowBody,
  type TrackerRows,
} from "../lib/plan";
import { Dialog, Empty, ErrorNotice, Field, LiveMessage, PageHeader, Spinner } from "../components/ui";

// The district implementation dashboard: which of the guide's four steps
// the district is in, what is overdue, the trackers, the latest rounds.
export function PlanPage() {
  useDocumentTitle("Implementation plan");
  const me = useMe();
  const district = me.district?.id;
  const { data, error, loading, reload } = useApi<Implementation>(district ? `${planBase(district)}/implementation` : null);
  return (
    <div className="page">
      <PageHeader
        title="Implementation plan"
        subtitle={data ? `${data.district.name} · as of ${formatDate(data.today)}` : "Where the district is in the guide's four steps, and what is overdue."}
        actions={
          <Link className="btn btn-secondary" to="/observations">
            Observations
          </Link>
        }
      />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading the plan…" />}
      {data && (
        <>
          <section className="card" aria-labelledby="stage-title">
            <h2 id="stage-title">
              Step {data.stage.current_step}: {data.stage.title}
            </h2>
            <p className="muted">{data.stage.why}</p>
            <ol className="plan-steps">
              {data.stage.steps.map((s) => (
                <li key={s.step} aria-current={s.step === data.stage.current_step ? "step" : undefined} className={s.step === data.stage.current_step ? "plan-step plan-step-current" : "plan-step"}>
                  <strong>
                    Step {s.step}: {s.title}
                  </strong>
                  <span className="muted small">
                    {" "}
                    · {plural(s.rows, "row")}, {s.in_progress} in progress, {s.done} done
                    {s.overdue > 0 ? `, ${s.overdue} overdue` : ""}
                  </span>
                </li>
              ))}
            </ol>
          </section>

          <section className="card" aria-labelledby="overdue-title">
            <h2 id="overdue-title">Overdue</h2>
            {data.overdue.length === 0 ? (
              <p className="muted">Nothing is overdue.</p>
            ) : (
              <div className="table-scroll">
                <table className="table" data-testid="overdue">
                  <caption className="sr-only">Overdue rows, oldest due date first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Row</th>
                      <th scope="col">Tracker</th>
                      <th scope="col">Owner</th>
                      <th scope="col">Due</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.overdue.map((o) => (
                      <tr key={o.tracker + o.row}>
                        <th scope="row">
                          <Link to={`/plan/${encodeURIComponent(o.tracker)}`}>{o.title || "(untitled)"}</Link>
                        </th>
                        <td>{o.tracker_title}</td>
                        <td>{o.owner || "—"}</td>
                        <td>
                          {formatDate(o.due)} ({plural(o.days_late, "day")} late)
                        </td>
                        <td>{o.status}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section className="card" aria-labelledby="trackers-title">
            <h2 id="trackers-title">Trackers</h2>
            <ul className="plain plan-trackers">
              {data.trackers.map((t) => (
                <li key={t.id}>
                  <Link to={`/plan/${encodeURIComponent(t.id)}`}>{t.title}</Link>{" "}
                  <span className="muted small">
                    {t.template} · Step {t.step} · {plural(t.rows, "row")}
                    {t.overdue > 0 ? ` · ${t.overdue} overdue` : ""}
                  </span>
                </li>
              ))}
            </ul>
          </section>

          <section className="card" aria-labelledby="rounds-title">
            <h2 id="rounds-title">Latest round results</h2>
            {!data.rounds.shown && <p className="muted">{data.rounds.note}</p>}
            {data.rounds.shown && (data.rounds.latest ?? []).length === 0 && (
              <p className="muted">No round has results to show yet (anonymous rounds show them once closed or past due).</p>
            )}
            {(data.rounds.latest ?? []).map((r) => (
              <div key={r.round} className="block">
                <h3>
                  {r.title} <span className="muted small">· {r.label} · {plural(r.respondents, "respondent")}</span>
                </h3>
                <ul className="plain">
                  {r.domains.map((d) => (
                    <li key={d.section}>
                      {d.title}: {d.median === null ? "no answers shown" : `median ${d.median}${d.scale_max !== null ? ` of ${d.scale_max}` : ""}`}
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </section>
        </>
      )}
    </div>
  );
}

function cellText(col: TrackerColumn, row: TrackerRow): string {
  const v = row.values[col.id];
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.join("; ");
  if (typeof v === "object") {
    const label = col.reports?.find((r) => r.id === v.report)?.label ?? v.report;
    const value = row.report_value?.value;
    return `${label}${v.group ? ` (${v.group})` : ""}${value ? `: ${value}` : ""}`;
  }
  return v;
}

// One tracker: its rows, add and edit, each row's history, exports.
export function TrackerPage({ trackerId }: { trackerId: string }) {
  const me = useMe();
  const district = me.district?.id;
  const base = district ? `${planBase(district)}/trackers/${encodeURIComponent(trackerId)}` : null;
  const { data, error, loading, reload } = useApi<TrackerRows>(base && `${base}/rows`);
  useDocumentTitle(data ? data.tracker.title : "Tracker");
  const [editing, setEditing] = useState<TrackerRow | "new" | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const t = data?.tracker;
  return (
    <div className="page page-wide">
      <PageHeader
        title={t ? t.title : "Tracker"}
        subtitle={t ? `${t.template} · ${t.action} · Step ${t.step}: ${t.step_title}` : undefined}
        crumbs={[{ to: "/plan", label: "Implementation plan" }]}
        actions={
          base && (
            <>
              <a className="btn btn-secondary" href={`${base}/export.xlsx`} download>
                Download XLSX
              </a>{" "}
              <a className="btn btn-secondary" href={`${base}/export.pdf`} download>
                Download PDF
              </a>
            </>
          )
        }
      />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading the tracker…" />}
      <LiveMessage message={message} onDismiss={() => setMessage(null)} />
      {t && data && (
        <>
          {t.description && <p className="muted">{t.description}</p>}
          {t.questions.length > 0 && (
            <section className="card" aria-labelledby="questions-title">
              <h2 id="questions-title">{t.questions_intro || "Questions"}</h2>
              <ol>
                {t.questions.map((q) => (
                  <li key={q}>{q}</li>
                ))}
              </ol>
            </section>
          )}
          {t.guiding_questions.length > 0 && (
            <section className="card" aria-labelledby="guiding-title">
              <h2 id="guiding-title">Guiding questions</h2>
              {t.guiding_questions.map((g) => (
                <div key={g.heading}>
                  <h3>{g.heading}</h3>
                  <ul>
                    {g.questions.map((q) => (
                      <li key={q}>{q}</li>
                    ))}
                  </ul>
                </div>
              ))}
            </section>
          )}
          {data.can_edit && editing === null && (
            <p>
              <button type="button" className="btn btn-primary" onClick={() => setEditing("new")}>
                Add a row
              </button>
            </p>
          )}
          {editing !== null && base && (
            <RowForm
              key={editing === "new" ? "new" : editing.id}
              tracker={t}
              row={editing === "new" ? null : editing}
              base={base}
              onCancel={() => setEditing(null)}
              onSaved={(saved, added) => {
                setEditing(null);
                setMessage(added ? `Added “${saved.title}”.` : `Saved “${saved.title}” (revision ${saved.revisions}).`);
                reload();
              }}
            />
          )}
          {data.rows.length === 0 ? (
            <Empty title="No rows yet">{data.can_edit ? "Add the first row of this tracker." : "The district's leaders have not added rows yet."}</Empty>
          ) : (
            <div className="table-scroll">
              <table className="table tracker-table">
                <caption className="sr-only">{t.title} rows</caption>
                <thead>
                  <tr>
                    {t.columns.map((c) => (
                      <th scope="col" key={c.id}>
                        {c.label}
                      </th>
                    ))}
                    <th scope="col">Owner</th>
                    <th scope="col">Due</th>
                    <th scope="col">Status</th>
                    <th scope="col">Notes</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={r.id} data-row={r.id}>
                      {t.columns.map((c, i) =>
                        i === 0 ? (
                          <th scope="row" key={c.id}>
                            {cellText(c, r)}
                          </th>
                        ) : (
                          <td key={c.id}>{cellText(c, r)}</td>
                        ),
                      )}
                      <td>{r.owner}</td>
                      <td className="nowrap">
                        {r.due ? formatDate(r.due) : "—"}
                        {r.overdue && <span className="pill pill-todo"> Overdue</span>}
                      </td>
                      <td>{r.status}</td>
                      <td>{r.notes}</td>
                      <td className="nowrap">
                        {data.can_edit && (
                          <button type="button" className="btn btn-sm btn-secondary" onClick={() => setEditing(r)} aria-label={`Edit ${r.title || "row"}`}>
                            Edit
                          </button>
                        )}{" "}
                        <button type="button" className="btn btn-sm btn-ghost" onClick={() => setHistoryOf(r.id)} aria-label={`History of ${r.title || "row"} (${plural(r.revisions, "revision")})`}>
                          History ({r.revisions})
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {historyOf && base && <HistoryDialog url={`${base}/rows/${encodeURIComponent(historyOf)}`} tracker={t} onClose={() => setHistoryOf(null)} />}
        </>
      )}
    </div>
  );
}

function HistoryDialog({ url, tracker, onClose }: { url: string; tracker: TrackerDefinition; onClose: () => void }) {
  const { data, error } = useApi<RowWithHistory>(url);
  return (
    <Dialog open title={data ? `History of “${data.title}”` : "History"} onClose={onClose}>
      {error !== undefined && <ErrorNotice error={error} />}
      {!data && error === undefined && <Spinner label="Loading the history…" />}
      {data && (
        <ol className="history-list">
          {data.history.map((h) => (
            <li key={h.revision} data-revision={h.revision}>
              <strong>
                Revision {h.revision}: {h.status}
              </strong>{" "}
              <span className="muted small">
                {h.recorded_by || "someone"}, {formatDate(h.recorded_at)}
              </span>
              <ul>
                {tracker.columns.map((c) => {
                  const v = h.values[c.id];
                  if (v === undefined) return null;
                  return (
                    <li key={c.id}>
                      {c.label}: {Array.isArray(v) ? v.join("; ") : typeof v === "object" ? v.report : v}
                    </li>
                  );
                })}
                {h.owner && <li>Owner: {h.owner}</li>}
                {h.due && <li>Due: {formatDate(h.due)}</li>}
                {h.notes && <li>Notes: {h.notes}</li>}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}

type Draft = { values: Record<string, string>; report: string; group: string; owner: string; due: string; status: RowStatus; notes: string };

function draftOf(tracker: TrackerDefinition, row: TrackerRow | null): Draft {
  const values: Record<string, string> = {};
  let report = "";
  let group = "";
  for (const c of tracker.columns) {
    const v: CellValue | undefined = row?.values[c.id];
    if (v === undefined) values[c.id] = "";
    else if (Array.isArray(v)) values[c.id] = v.join("\n");
    else if (typeof v === "object") {
      report = v.report;
      group = v.group ?? "";
    } else values[c.id] = v;
  }
  return { values, report, group, owner: row?.owner ?? "", due: row?.due ?? "", status: row?.status ?? "not started", notes: row?.notes ?? "" };
}

function bodyOf(tracker: TrackerDefinition, d: Draft): TrackerRowBody {
  const values: Record<string, CellValue> = {};
  for (const c of tracker.columns) {
    if (c.kind === "report") {
      if (d.report) values[c.id] = { report: d.report, group: d.group.trim() || null };
    } else if (c.kind === "list") {
      const lines = (d.values[c.id] ?? "")
        .split("\n")
        .map((s) => s.trim())
        .filter(Boolean);
      if (lines.length) values[c.id] = lines;
    } else if ((d.values[c.id] ?? "").trim()) {
      values[c.id] = d.values[c.id];
    }
  }
  return { values, owner: d.owner, due: d.due || null, status: d.status, notes: d.notes };
}

function RowForm({ tracker, row, base, onCancel, onSaved }: { tracker: TrackerDefinition; row: TrackerRow | null; base: string; onCancel: () => void; onSaved: (row: TrackerRow, added: boolean) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(tracker, row));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setValue = (id: string, v: string) => setDraft((d) => ({ ...d, values: { ...d.values, [id]: v } }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const body = bodyOf(tracker, draft);
      const saved = row ? await api.put<TrackerRow>(`${base}/rows/${encodeURIComponent(row.id)}`, body) : await api.post<TrackerRow>(`${base}/rows`, body);
      onSaved(saved, !row);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        const byField: Record<string, string> = {};
        for (const p of err.errors) byField[p.field.replace(/\.report$|\.group$/, "")] = p.message;
        setErrors(byField);
        setFailure("Check the fields marked below.");
      } else setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-grid tracker-form" onSubmit={submit} aria-labelledby="row-form-title" noValidate>
      <h2 id="row-form-title">{row ? `Edit “${row.title}”` : "Add a row"}</h2>
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      {tracker.columns.map((c) => (
        <Field key={c.id} label={c.required ? `${c.label} (required)` : c.label} error={errors[`values.${c.id}`]} hint={c.kind === "list" ? "One per line." : undefined}>
          {(props) =>
            c.kind === "choice" ? (
              <select {...props} value={draft.values[c.id] ?? ""} onChange={(e) => setValue(c.id, e.target.value)}>
                <option value="">—</option>
                {(c.choices ?? []).map((ch) => (
                  <option key={ch}>{ch}</option>
                ))}
              </select>
            ) : c.kind === "report" ? (
              <select {...props} value={draft.report} onChange={(e) => set({ report: e.target.value })}>
                <option value="">No linked report</option>
                {(c.reports ?? []).map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </select>
            ) : (
              <textarea {...props} rows={c.kind === "list" ? 4 : 2} value={draft.values[c.id] ?? ""} onChange={(e) => setValue(c.id, e.target.value)} />
            )
          }
        </Field>
      ))}
      {tracker.columns.some((c) => c.kind === "report") && draft.report && (
        <Field label="Report group (a school, badge or course; empty for all)">{(props) => <input {...props} value={draft.group} onChange={(e) => set({ group: e.target.value })} />}</Field>
      )}
      <Field label="Owner" error={errors.owner}>
        {(props) => <input {...props} value={draft.owner} onChange={(e) => set({ owner: e.target.value })} />}
      </Field>
      <Field label="Due date" error={errors.due}>
        {(props) => <input {...props} type="date" value={draft.due} onChange={(e) => set({ due: e.target.value })} />}
      </Field>
      <Field label="Status" error={errors.status}>
        {(props) => (
          <select {...props} value={draft.status} onChange={(e) => set({ status: e.target.value as RowStatus })}>
            {ROW_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Notes" error={errors.notes}>
        {(props) => <textarea {...props} rows={2} value={draft.notes} onChange={(e) => set({ notes: e.target.value })} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {row ? "Save changes" : "Add row"}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
