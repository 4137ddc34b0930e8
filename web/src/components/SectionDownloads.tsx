import { useId, useState } from "react";

// A section's downloads for the student information system and for
// spreadsheets: the gradebook of a grading period (OneRoster 1.2 zip or CSV,
// as of a date, so a period's export does not change afterwards) and the
// tracking sheet as an Excel workbook. Plain links: the browser downloads
// them with the session cookie (GET, no CSRF token needed).
export function SectionDownloads({ sectionId }: { sectionId: string }) {
  const id = useId();
  const today = isoDay(new Date());
  const [from, setFrom] = useState(schoolYearStart(new Date()));
  const [to, setTo] = useState(today);
  const [asOf, setAsOf] = useState("");
  const base = `/api/v1/sections/${encodeURIComponent(sectionId)}`;
  const problem = !from || !to ? "Choose the first and last day of the grading period." : from > to ? "The period ends before it starts." : asOf && asOf > today ? "“As of” cannot be in the future." : "";
  const query = (format: string) => {
    const params = new URLSearchParams({ from, to, format });
    if (asOf) params.set("as_of", asOf);
    return `${base}/gradebook?${params.toString()}`;
  };
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;

  return (
    <details className="card section-downloads">
      <summary>Downloads: gradebook for the SIS, tracking sheet</summary>
      <p className="muted small" id={hintId}>
        The gradebook lists each student's badges as pass or not yet for the grading period. Only evidence recorded by the end of the period (or the “as of” day) counts, so downloading it again later gives the same grades.
      </p>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-from`}>Period starts</label>
          <input id={`${id}-from`} type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} aria-describedby={hintId} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>Period ends</label>
          <input id={`${id}-to`} type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-asof`}>As of (optional)</label>
          <input id={`${id}-asof`} type="date" value={asOf} max={today} onChange={(e) => setAsOf(e.target.value)} />
        </div>
      </div>
      {problem && (
        <p className="field-error" id={problemId} role="alert">
          {problem}
        </p>
      )}
      <p className="form-actions">
        {problem ? (
          <>
            <button type="button" className="btn btn-secondary btn-sm" disabled aria-describedby={problemId}>
              Gradebook (OneRoster)
            </button>
            <button type="button" className="btn btn-secondary btn-sm" disabled aria-describedby={problemId}>
              Gradebook (CSV)
            </button>
          </>
        ) : (
          <>
            <a className="btn btn-secondary btn-sm" href={query("oneroster")} download>
              Gradebook (OneRoster)<span className="sr-only">, zip download</span>
            </a>
            <a className="btn btn-secondary btn-sm" href={query("csv")} download>
              Gradebook (CSV)<span className="sr-only">, CSV download</span>
            </a>
          </>
        )}
        <a className="btn btn-secondary btn-sm" href={`${base}/tracking.xlsx`} download>
          Tracking sheet (XLSX)<span className="sr-only">, Excel download</span>
        </a>
      </p>
    </details>
  );
}

function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// US school years start in August.
function schoolYearStart(d: Date): string {
  const year = d.getMonth() >= 7 ? d.getFullYear() : d.getFullYear() - 1;
  return `${year}-08-01`;
}
