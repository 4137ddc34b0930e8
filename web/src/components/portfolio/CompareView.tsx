// Two versions side by side: a line diff of the typed work and reflection,
// whether the link changed, and the files of each version next to each other.
import { useState } from "react";
import { useApi } from "../../lib/hooks";
import { studentFiles, type Comparison, type DiffLine, type Submission } from "../../lib/portfolio";
import { ErrorNotice, Spinner } from "../ui";
import { ArtifactViewer } from "./ArtifactViewer";

export function CompareView({ submission, onClose }: { submission: Submission; onClose?: () => void }) {
  const numbers = submission.history.map((v) => v.number);
  const last = numbers[numbers.length - 1] ?? 1;
  const [from, setFrom] = useState(Math.max(1, last - 1));
  const [to, setTo] = useState(last);
  const { data, error, loading } = useApi<Comparison>(`/api/v1/submissions/${submission.id}/compare?from=${from}&to=${to}`);

  return (
    <section className="card compare" aria-labelledby="compare-title">
      <div className="compare-head">
        <h2 id="compare-title" className="section-title inline">
          Compare versions
        </h2>
        <div className="compare-pick">
          <VersionPick text="From" label="Compare from version" numbers={numbers} value={from} onChange={setFrom} />
          <VersionPick text="to" label="Compare to version" numbers={numbers} value={to} onChange={setTo} />
          {onClose && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
              Close comparison
            </button>
          )}
        </div>
      </div>
      {error !== undefined && <ErrorNotice error={error} title="The versions could not be compared" />}
      {loading && !data && <Spinner label="Comparing…" />}
      {data && (
        <>
          <p className="small muted diff-legend">
            <span className="diff-key diff-add">+ added in version {data.to.number}</span> <span className="diff-key diff-del">− removed from version {data.from.number}</span>
          </p>
          <h3 className="compare-sub">Typed work</h3>
          <Diff lines={data.text} label="Typed work" />
          {(data.reflection.some((l) => l.op !== "same") || data.reflection.length > 0) && (
            <>
              <h3 className="compare-sub">Reflection</h3>
              <Diff lines={data.reflection} label="Reflection" />
            </>
          )}
          {data.link_changed && (
            <p className="small">
              The link changed: {data.from.link ? <a href={data.from.link}>{data.from.link}</a> : "none"} → {data.to.link ? <a href={data.to.link}>{data.to.link}</a> : "none"}
            </p>
          )}
          <h3 className="compare-sub">Files</h3>
          <p className="small muted">
            {data.artifacts.added.length} added, {data.artifacts.removed.length} removed, {data.artifacts.kept.length} kept.
          </p>
          <div className="compare-files">
            {[data.from, data.to].map((v, i) => (
              <div key={i} className="compare-col">
                <h4>
                  Version {v.number}
                  {v.artifacts.length === 0 && <span className="muted small"> · no files</span>}
                </h4>
                {v.artifacts.length > 0 && (
                  <>
                    <ul className="compare-file-tags">
                      {v.artifacts.map((a) => {
                        const status = data.artifacts.kept.includes(a.id) ? "kept" : i === 0 ? "removed" : "added";
                        return (
                          <li key={a.id} className={`file-tag file-${status}`}>
                            {a.name} · {status}
                          </li>
                        );
                      })}
                    </ul>
                    <ArtifactViewer artifacts={v.artifacts} source={studentFiles} label={`Files of version ${v.number}`} idPrefix={`cmp${i}`} />
                  </>
                )}
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}

function VersionPick({ text, label, numbers, value, onChange }: { text: string; label: string; numbers: number[]; value: number; onChange: (n: number) => void }) {
  return (
    <label className="field-inline small">
      <span>{text}</span>
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} aria-label={label}>
        {numbers.map((n) => (
          <option key={n} value={n}>
            Version {n}
          </option>
        ))}
      </select>
    </label>
  );
}

function Diff({ lines, label }: { lines: DiffLine[]; label: string }) {
  if (lines.length === 0) return <p className="small muted">Empty in both versions.</p>;
  if (lines.every((l) => l.op === "same")) {
    return (
      <>
        <p className="small muted">No changes.</p>
        <ol className="diff" aria-label={label}>
          {lines.map((l, i) => (
            <li key={i} className="diff-same">
              <span className="diff-mark" aria-hidden="true" />
              <span className="diff-text">{l.line || "\u00a0"}</span>
            </li>
          ))}
        </ol>
      </>
    );
  }
  return (
    <ol className="diff" aria-label={label}>
      {lines.map((l, i) => (
        <li key={i} className={`diff-${l.op}`}>
          <span className="diff-mark" aria-hidden="true">
            {l.op === "add" ? "+" : l.op === "del" ? "−" : ""}
          </span>
          {l.op !== "same" && <span className="sr-only">{l.op === "add" ? "Added: " : "Removed: "}</span>}
          {l.op === "add" ? <ins className="diff-text">{l.line || "\u00a0"}</ins> : l.op === "del" ? <del className="diff-text">{l.line || "\u00a0"}</del> : <span className="diff-text">{l.line || "\u00a0"}</span>}
        </li>
      ))}
    </ol>
  );
}
