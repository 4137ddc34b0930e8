import { useCallback, useEffect, useId, useRef, useState, type DragEvent, type FormEvent, type ReactNode } from "react";
import { api, enc } from "../../lib/api";
import { useApi, useDocumentTitle } from "../../lib/hooks";
import { formatDateTime, plural } from "../../lib/format";
import { entityLabel, isFinished, phaseLabel, uploadRoster, warningText, type ImportJob, type ImportReport } from "../../lib/imports";
import { ErrorNotice, PageHeader, ProgressBar, Spinner } from "../../components/ui";
import { FilePick } from "../../components/FilePick";
import "../../components/portfolio/portfolio.css";

const POLL_MS = 500;

interface Run {
  file: File;
  dryRun: boolean;
  /** 0..1 while the zip goes up; 1 once the server has it. */
  upload: number;
  job: ImportJob | null;
  error: unknown;
}

export function ImportRosterPage() {
  useDocumentTitle("Import roster");
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [dragging, setDragging] = useState(false);
  const [pickError, setPickError] = useState("");
  const [run, setRun] = useState<Run | null>(null);
  const recent = useApi<{ imports: ImportJob[] }>("/api/v1/imports");
  const pickerId = useId();
  const runRef = useRef<HTMLElement>(null);
  // Each start gets a number; a poll or upload of an older run stops updating.
  const seq = useRef(0);
  const abortUpload = useRef<(() => void) | null>(null);
  const reloadRecent = recent.reload;

  useEffect(
    () => () => {
      seq.current++;
      abortUpload.current?.();
    },
    [],
  );

  // Polls a job until it is done or failed; stops when another run starts.
  const follow = useCallback(
    async (first: ImportJob, mine: number) => {
      const update = (fn: (r: Run) => Run) => {
        if (seq.current === mine) setRun((r) => (r ? fn(r) : r));
      };
      let job = first;
      while (!isFinished(job.phase)) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (seq.current !== mine) return;
        try {
          job = await api.get<ImportJob>(`/api/v1/imports/${enc(job.id)}`);
        } catch (e) {
          update((r) => ({ ...r, error: e }));
          return;
        }
        const latest = job;
        update((r) => ({ ...r, job: latest }));
      }
      if (seq.current === mine) void reloadRecent();
    },
    [reloadRecent],
  );

  const start = useCallback(
    async (f: File, dry: boolean) => {
      const mine = ++seq.current;
      abortUpload.current?.();
      setRun({ file: f, dryRun: dry, upload: 0, job: null, error: undefined });
      // Focus follows the work: the progress region, announced by its heading.
      requestAnimationFrame(() => runRef.current?.focus());
      const update = (fn: (r: Run) => Run) => {
        if (seq.current === mine) setRun((r) => (r ? fn(r) : r));
      };
      let job: ImportJob;
      try {
        const upload = uploadRoster(f, dry, (p) => update((r) => ({ ...r, upload: p })));
        abortUpload.current = upload.abort;
        job = await upload.promise;
      } catch (e) {
        update((r) => ({ ...r, error: e }));
        return;
      } finally {
        if (seq.current === mine) abortUpload.current = null;
      }
      update((r) => ({ ...r, upload: 1, job }));
      void reloadRecent();
      await follow(job, mine);
    },
    [follow, reloadRecent],
  );

  function pick(list: FileList | null) {
    const f = list?.[0];
    if (!f) return;
    if (!/\.zip$/i.test(f.name) && f.type !== "application/zip" && f.type !== "application/x-zip-compressed") {
      setPickError(`${f.name} is not a zip file. Choose the OneRoster export as one .zip.`);
      return;
    }
    setPickError("");
    setFile(f);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setPickError("Choose the OneRoster zip first.");
      document.getElementById(pickerId)?.focus();
      return;
    }
    void start(file, dryRun);
  }

  async function show(id: string) {
    const mine = ++seq.current;
    abortUpload.current?.();
    try {
      const job = await api.get<ImportJob>(`/api/v1/imports/${enc(id)}`);
      if (seq.current !== mine) return;
      setRun({ file: new File([], job.file), dryRun: job.dry_run, upload: 1, job, error: undefined });
      await follow(job, mine);
    } catch (e) {
      if (seq.current === mine) setRun({ file: new File([], id), dryRun: true, upload: 1, job: null, error: e });
    }
  }

  const busy = run !== null && run.error === undefined && !(run.job && isFinished(run.job.phase));
  const job = run?.job ?? null;
  const phaseText = !run ? "" : run.error !== undefined ? "Failed" : job ? phaseLabel(job.phase) : "Uploading";

  return (
    <div className="page">
      <PageHeader title="Import roster" subtitle="Bring schools, classes, people and enrollments in from your student information system as one OneRoster 1.1 or 1.2 zip." />

      <form className="card import-form" onSubmit={submit} noValidate aria-labelledby="import-form-title">
        <h2 id="import-form-title" className="section-title inline">
          New import
        </h2>
        <div
          className={dragging ? "dropzone is-dragging" : "dropzone"}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e: DragEvent) => {
            e.preventDefault();
            setDragging(false);
            pick(e.dataTransfer.files);
          }}
        >
          <p className="dropzone-text">
            <strong>Drop the OneRoster zip here</strong>, or
          </p>
          <FilePick id={pickerId} accept=".zip,application/zip" label="Choose a zip" file={file} hint="manifest.csv and the set's CSV files in one zip, up to 64 MB." error={pickError} onPick={pick} />
        </div>
        <label className="check">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} aria-describedby="dry-run-hint" />
          Check only (dry run)
        </label>
        <p className="field-hint" id="dry-run-hint">
          Cairn reads and checks the set and reports what would change, without changing anything.
        </p>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? "Working…" : "Start"}
          </button>
        </div>
      </form>

      {run && (
        <section className="card import-run" aria-labelledby="import-run-title" ref={runRef} tabIndex={-1}>
          <h2 id="import-run-title" className="section-title inline">
            {run.dryRun ? "Dry run" : "Import"} of {run.file.name}
          </h2>
          <p className="import-phase" role="status" aria-live="polite">
            {phaseText}
          </p>
          {!job && run.error === undefined && (
            <ProgressBar label={`Uploading ${run.file.name}`} value={Math.round(run.upload * 100)} max={100} valueText={`${Math.round(run.upload * 100)}% uploaded`} />
          )}
          {job && (
            <ProgressBar label={phaseLabel(job.phase)} value={Math.round(job.progress * 100)} max={100} valueText={`${phaseLabel(job.phase)}, ${Math.round(job.progress * 100)}%`} />
          )}
          {run.error !== undefined && <ErrorNotice error={run.error} title="The import did not start" onRetry={run.file.size > 0 ? () => void start(run.file, run.dryRun) : undefined} />}
          {job?.phase === "failed" && (
            <div className="notice notice-error" role="alert">
              <strong>The import failed. Nothing was changed.</strong>
              <p>{job.error ?? "The server gave no reason."}</p>
            </div>
          )}
          {job?.report && isFinished(job.phase) && (
            <Report
              key={job.id}
              report={job.report}
              onImport={job.phase === "done" && job.report.ok && job.dry_run && run.file.size > 0 ? () => void start(run.file, false) : undefined}
            />
          )}
          {job?.phase === "failed" && !job.report && (
            <FocusHeading key={job.id} className="sr-only">
              Import failed
            </FocusHeading>
          )}
        </section>
      )}

      <section className="card flush" aria-labelledby="recent-imports-title">
        <div className="card-head">
          <h2 id="recent-imports-title" className="section-title">
            Recent imports
          </h2>
        </div>
        {recent.loading && !recent.data && <Spinner label="Loading recent imports…" />}
        {recent.error !== undefined && <ErrorNotice error={recent.error} onRetry={recent.reload} />}
        {recent.data && recent.data.imports.length === 0 && <p className="muted import-none">No imports since the server started.</p>}
        {recent.data && recent.data.imports.length > 0 && (
          <div className="table-scroll">
            <table className="table" id="recent-imports" aria-labelledby="recent-imports-title">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Started</th>
                  <th scope="col">State</th>
                  <th scope="col" className="actions">
                    <span className="sr-only">Report</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {recent.data.imports.map((j) => (
                  <tr key={j.id} data-import={j.id}>
                    <th scope="row">{j.file}</th>
                    <td>{j.dry_run ? "Dry run" : "Import"}</td>
                    <td>{formatDateTime(j.started_at)}</td>
                    <td>{phaseLabel(j.phase)}</td>
                    <td className="actions">
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => void show(j.id)}>
                        Show report<span className="sr-only"> of {j.file}, started {formatDateTime(j.started_at)}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** The result's heading, focused when it appears (the run finished, or a report was opened). */
function FocusHeading({ className, children }: { className: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h3 className={className} ref={ref} tabIndex={-1}>
      {children}
    </h3>
  );
}

function Report({ report, onImport }: { report: ImportReport; onImport?: () => void }) {
  const problems = report.problems ?? [];
  const warnings = report.warnings ?? [];
  const files = Object.entries(report.files ?? {});
  const changes = Object.entries(report.changes ?? {});
  const title = !report.ok ? "Problems found" : report.dry_run ? "Ready to import" : "Imported";
  return (
    <div className="import-report">
      <FocusHeading className="import-result">{title}</FocusHeading>
      {!report.ok && (
        <div className="notice notice-error">
          <strong>Nothing was changed.</strong>
          <p>
            Cairn found {plural(problems.length, "problem")} in this set, and with any problem it changes nothing. Fix them in the export and upload it again.
          </p>
        </div>
      )}
      {report.ok && !report.dry_run && (
        <div className="notice notice-success">
          <p>{report.applied ? "The roster now holds the changes below." : "The roster already matches this set: nothing needed to change."}</p>
        </div>
      )}
      {report.ok && !report.applied && report.dry_run && (
        <div className="notice notice-info">
          <p>The set is clean. This was a dry run, so nothing was changed; the table shows what an import would change.</p>
        </div>
      )}
      <p className="small muted">OneRoster version {report.version ?? "unknown"}</p>

      {problems.length > 0 && (
        <>
          <h4 id="import-problems-title">
            Problems <span className="count">{problems.length}</span>
          </h4>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-problems-title">
            <table className="table" id="import-problems" aria-labelledby="import-problems-title">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i}>
                    <td>
                      <code>{p.file}</code>
                    </td>
                    <td className="num">{p.line ?? "–"}</td>
                    <td>{p.column ? <code>{p.column}</code> : "–"}</td>
                    <td>{p.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {changes.length > 0 && (
        <>
          <h4 id="import-changes-title">{!report.ok ? "Changes the set asks for (not made)" : report.dry_run ? "Changes an import would make" : "Changes made"}</h4>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-changes-title">
            <table className="table" id="import-changes" aria-labelledby="import-changes-title">
              <thead>
                <tr>
                  <th scope="col">Records</th>
                  <th scope="col" className="num">
                    Added
                  </th>
                  <th scope="col" className="num">
                    Updated
                  </th>
                  <th scope="col" className="num">
                    Deactivated
                  </th>
                </tr>
              </thead>
              <tbody>
                {changes.map(([entity, c]) => (
                  <tr key={entity} data-entity={entity}>
                    <th scope="row">{entityLabel(entity)}</th>
                    <td className="num">{c.added ?? 0}</td>
                    <td className="num">{c.updated ?? 0}</td>
                    <td className="num">{c.deactivated ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {onImport && (
        <div className="import-go">
          <p className="small" id="import-go-hint">
            Uploads the same file again and writes these changes to the roster.
          </p>
          <button type="button" className="btn btn-primary" onClick={onImport} aria-describedby="import-go-hint">
            Import for real
          </button>
        </div>
      )}

      {warnings.length > 0 && (
        <>
          <h4 id="import-warnings-title">Warnings</h4>
          <ul className="import-warnings" aria-labelledby="import-warnings-title">
            {warnings.map((w, i) => (
              <li key={i}>{warningText(w)}</li>
            ))}
          </ul>
        </>
      )}

      {files.length > 0 && (
        <>
          <h4 id="import-files-title">Files</h4>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-files-title">
            <table className="table" id="import-files" aria-labelledby="import-files-title">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Mode</th>
                  <th scope="col" className="num">
                    Rows read
                  </th>
                  <th scope="col">Vendor columns ignored</th>
                </tr>
              </thead>
              <tbody>
                {files.map(([name, f]) => (
                  <tr key={name}>
                    <th scope="row">
                      <code>{name}</code>
                    </th>
                    <td>{f.mode ?? "–"}</td>
                    <td className="num">{f.mode === "absent" ? "–" : f.rows ?? 0}</td>
                    <td>{f.ignored_columns && f.ignored_columns.length > 0 ? f.ignored_columns.join(", ") : "None"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {(report.ignored_files?.length ?? 0) > 0 && <p className="small muted">Files not read: {report.ignored_files!.join(", ")}</p>}
        </>
      )}
    </div>
  );
}
