import { useId, useRef, useState, type FormEvent } from "react";
import { errorMessage } from "../../lib/api";
import { useApi, useDocumentTitle, type Loaded } from "../../lib/hooks";
import { formatDateTime, plural } from "../../lib/format";
import { formatSize } from "../../lib/portfolio";
import { MAX_CASE_BYTES, outcomeText, uploadCase, type CaseImportReport, type Coverage, type Framework } from "../../lib/standards";
import { ErrorNotice, PageHeader, ProgressBar, Spinner } from "../../components/ui";
import { FilePick } from "../../components/FilePick";
import "../../components/portfolio/portfolio.css";

// The district's standards: bring a CASE package in (dry run first), see the
// frameworks kept, and how the catalog covers them. Aligning CPEs to
// standards happens in the catalog editor, one CPE at a time.
export function StandardsPage() {
  useDocumentTitle("Standards");
  const frameworks = useApi<{ frameworks: Framework[] }>("/api/v1/frameworks");
  const coverage = useApi<Coverage>("/api/v1/standards/coverage");

  return (
    <div className="page">
      <PageHeader
        title="Standards"
        subtitle="Import your state's frameworks as CASE packages, then see which standards the badges cover. Align CPEs to standards in the catalog editor."
        actions={
          <>
            <a className="btn btn-secondary btn-sm" href="/api/v1/standards/crosswalk.csv" download>
              Crosswalk CSV
            </a>
            <a className="btn btn-secondary btn-sm" href="/api/v1/catalog/case.json" download>
              Our badges as CASE
            </a>
          </>
        }
      />
      <CaseImport
        onImported={() => {
          void frameworks.reload();
          void coverage.reload();
        }}
      />

      <section className="card flush" aria-labelledby="frameworks-title">
        <div className="card-head">
          <h2 id="frameworks-title" className="section-title">
            Frameworks
          </h2>
        </div>
        {frameworks.loading && !frameworks.data && <Spinner label="Loading frameworks…" />}
        {frameworks.error !== undefined && <ErrorNotice error={frameworks.error} onRetry={frameworks.reload} />}
        {frameworks.data && frameworks.data.frameworks.length === 0 && <p className="muted import-none">No framework yet. Import a CASE package above.</p>}
        {frameworks.data && frameworks.data.frameworks.length > 0 && (
          <div className="table-scroll">
            <table className="table" id="frameworks" aria-labelledby="frameworks-title">
              <thead>
                <tr>
                  <th scope="col">Framework</th>
                  <th scope="col">Version</th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col">Publisher</th>
                  <th scope="col">Imported</th>
                </tr>
              </thead>
              <tbody>
                {frameworks.data.frameworks.map((f) => (
                  <tr key={f.identifier} data-framework={f.identifier}>
                    <th scope="row">{f.title}</th>
                    <td>
                      {f.version}
                      {f.versions > 1 && <span className="muted small"> ({plural(f.versions, "version")} kept)</span>}
                    </td>
                    <td className="num">{f.items}</td>
                    <td>{f.publisher || f.creator || "–"}</td>
                    <td>{formatDateTime(f.imported_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <CoverageReport coverage={coverage} />
    </div>
  );
}

interface Run {
  name: string;
  dryRun: boolean;
  text: string;
  busy: boolean;
  report?: CaseImportReport;
  error?: unknown;
}

function CaseImport({ onImported }: { onImported: () => void }) {
  const pickerId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [pickError, setPickError] = useState("");
  const [run, setRun] = useState<Run | null>(null);
  const seq = useRef(0);

  function pick(list: FileList | null) {
    const f = list?.[0];
    if (!f) return;
    if (f.size > MAX_CASE_BYTES) {
      setPickError(`${f.name} is ${formatSize(f.size)}; Cairn reads CASE packages up to ${formatSize(MAX_CASE_BYTES)}.`);
      return;
    }
    setPickError("");
    setFile(f);
  }

  async function start(name: string, text: string, dry: boolean) {
    const mine = ++seq.current;
    setRun({ name, text, dryRun: dry, busy: true });
    try {
      const report = await uploadCase(text, dry);
      if (seq.current !== mine) return;
      setRun({ name, text, dryRun: dry, busy: false, report });
      if (!dry && report.ok) onImported();
    } catch (e) {
      if (seq.current === mine) setRun({ name, text, dryRun: dry, busy: false, error: e });
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setPickError("Choose the CASE package (a .json file) first.");
      document.getElementById(pickerId)?.focus();
      return;
    }
    void start(file.name, await file.text(), dryRun);
  }

  const report = run?.report;
  return (
    <form className="card import-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="case-import-title">
      <h2 id="case-import-title" className="section-title inline">
        Import a CASE package
      </h2>
      <p className="field-hint">
        A CASE 1.0 or 1.1 JSON package (CFPackage) as OpenSALT or the CASE Network publishes it. A newer version of a framework becomes current; older versions are kept so past alignments still read.
      </p>
      <FilePick id={pickerId} accept=".json,application/json" label="Choose a package" file={file} hint={`Up to ${formatSize(MAX_CASE_BYTES)}.`} error={pickError} onPick={pick} />
      <label className="check">
        <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
        Check only (dry run)
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={run?.busy}>
          {run?.busy ? "Working…" : "Start"}
        </button>
      </div>

      {run && (
        <div className="import-report" aria-live="polite">
          {run.busy && <ProgressBar label={`Reading ${run.name}`} value={0} max={1} valueText="Working" />}
          {run.error !== undefined && <ErrorNotice error={run.error} title={`${run.name} was not imported`} />}
          {report && (
            <>
              <h3 className="import-result" id="case-result">
                {outcomeText(report)}
              </h3>
              {!report.ok && (
                <div className="notice notice-error">
                  <strong>Nothing was changed.</strong>
                  <p>Cairn found {plural(report.problems.length, "problem")} in this package.</p>
                </div>
              )}
              {report.ok && (
                <p className="small muted">
                  CASE {report.case_version || "1.0"}: {plural(report.counts.items ?? 0, "item")}, {plural(report.counts.associations ?? 0, "association")}
                  {(report.counts.rubrics ?? 0) > 0 && `, ${plural(report.counts.rubrics, "rubric")}`}.
                </p>
              )}
              {report.problems.length > 0 && (
                <ul className="import-warnings" id="case-problems">
                  {report.problems.map((p, i) => (
                    <li key={i}>
                      <code>{p.field}</code>: {p.message}
                    </li>
                  ))}
                </ul>
              )}
              {report.warnings.length > 0 && (
                <ul className="import-warnings">
                  {report.warnings.map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              )}
              {report.ok && report.dry_run && report.outcome !== "unchanged" && (
                <button type="button" className="btn btn-primary" onClick={() => void start(run.name, run.text, false)}>
                  Import for real
                </button>
              )}
            </>
          )}
        </div>
      )}
    </form>
  );
}

function CoverageReport({ coverage }: { coverage: Loaded<Coverage> }) {
  const data = coverage.data;
  return (
    <section className="card" aria-labelledby="coverage-title">
      <div className="card-head">
        <h2 id="coverage-title" className="section-title">
          Coverage
        </h2>
        <a className="btn btn-ghost btn-sm" href="/api/v1/standards/coverage.csv" download>
          Gaps as CSV
        </a>
      </div>
      {coverage.loading && !data && <Spinner label="Loading coverage…" />}
      {coverage.error !== undefined && <p className="field-error">{errorMessage(coverage.error)}</p>}
      {data && data.frameworks.length === 0 && <p className="muted">Coverage appears once a framework is imported.</p>}
      {data?.frameworks.map((f) => (
        <div key={f.identifier} className="coverage-framework" data-coverage={f.identifier}>
          <h3>{f.title}</h3>
          <ProgressBar label={`Standards of ${f.title} covered by a badge`} value={f.covered} max={f.standards} valueText={`${f.covered} of ${f.standards} standards covered`} />
          <p className="small">
            {f.covered} of {plural(f.standards, "standard")} covered by at least one CPE.
          </p>
          {f.uncovered.length > 0 && (
            <details>
              <summary>{plural(f.uncovered.length, "standard")} no badge covers</summary>
              <ul className="coverage-list">
                {f.uncovered.map((s) => (
                  <li key={s.identifier}>
                    {s.human_code && <code>{s.human_code}</code>} {s.statement}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      ))}
      {data && data.badges.length > 0 && data.frameworks.length > 0 && (
        <div className="table-scroll">
          <table className="table" id="coverage-badges" aria-label="CPEs aligned to a standard, per badge">
            <thead>
              <tr>
                <th scope="col">Badge</th>
                <th scope="col" className="num">
                  CPEs aligned
                </th>
                <th scope="col">CPEs with no standard</th>
              </tr>
            </thead>
            <tbody>
              {data.badges.map((b) => (
                <tr key={b.code} data-badge={b.code}>
                  <th scope="row">
                    {b.code} {b.title}
                  </th>
                  <td className="num">
                    {b.aligned_cpes} of {b.cpes}
                  </td>
                  <td>{b.unaligned.length === 0 ? "None" : b.unaligned.map((c) => c.label || c.id).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
