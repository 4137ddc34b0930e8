// Two versions side by side: a line diff of the typed work and reflection,
// whether the link changed, and the files of each version next to each other.
import { useState } from "react";
import { useApi } from "../../lib/hooks";
import { studentFiles, type Comparison, type DiffLine, type Submission } from "../../lib/portfolio";
import { ErrorNotice, Spinner } from "../ui";
import { ArtifactViewer } from "./ArtifactViewer";
import { useT } from "../../i18n";

export function CompareView({ submission, onClose }: { submission: Submission; onClose?: () => void }) {
  const t = useT();
  const numbers = submission.history.map((v) => v.number);
  const last = numbers[numbers.length - 1] ?? 1;
  const [from, setFrom] = useState(Math.max(1, last - 1));
  const [to, setTo] = useState(last);
  const { data, error, loading } = useApi<Comparison>(`/api/v1/submissions/${submission.id}/compare?from=${from}&to=${to}`);

  return (
    <section className="card compare" aria-labelledby="compare-title">
      <div className="compare-head">
        <h2 id="compare-title" className="section-title inline">
          {t("sub.compare")}
        </h2>
        <div className="compare-pick">
          <VersionPick text={t("cmp.from")} label={t("cmp.fromLabel")} numbers={numbers} value={from} onChange={setFrom} />
          <VersionPick text={t("cmp.to")} label={t("cmp.toLabel")} numbers={numbers} value={to} onChange={setTo} />
          {onClose && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
              {t("cmp.close")}
            </button>
          )}
        </div>
      </div>
      {error !== undefined && <ErrorNotice error={error} title={t("cmp.failed")} />}
      {loading && !data && <Spinner label={t("cmp.comparing")} />}
      {data && (
        <>
          <p className="small muted diff-legend">
            <span className="diff-key diff-add">+ {t("cmp.addedIn", { n: data.to.number })}</span> <span className="diff-key diff-del">− {t("cmp.removedFrom", { n: data.from.number })}</span>
          </p>
          <h3 className="compare-sub">{t("form.typed")}</h3>
          <Diff lines={data.text} label={t("form.typed")} />
          {(data.reflection.some((l) => l.op !== "same") || data.reflection.length > 0) && (
            <>
              <h3 className="compare-sub">{t("sub.reflection")}</h3>
              <Diff lines={data.reflection} label={t("sub.reflection")} />
            </>
          )}
          {data.link_changed && (
            <p className="small">
              {t("cmp.linkChanged")} {data.from.link ? <a href={data.from.link}>{data.from.link}</a> : t("cmp.none")} → {data.to.link ? <a href={data.to.link}>{data.to.link}</a> : t("cmp.none")}
            </p>
          )}
          <h3 className="compare-sub">{t("form.files")}</h3>
          <p className="small muted">
            {t("cmp.fileCounts", { added: data.artifacts.added.length, removed: data.artifacts.removed.length, kept: data.artifacts.kept.length })}
          </p>
          <div className="compare-files">
            {[data.from, data.to].map((v, i) => (
              <div key={i} className="compare-col">
                <h4>
                  {t("sub.version", { n: v.number })}
                  {v.artifacts.length === 0 && <span className="muted small"> · {t("cmp.noFiles")}</span>}
                </h4>
                {v.artifacts.length > 0 && (
                  <>
                    <ul className="compare-file-tags">
                      {v.artifacts.map((a) => {
                        const status = data.artifacts.kept.includes(a.id) ? "kept" : i === 0 ? "removed" : "added";
                        return (
                          <li key={a.id} className={`file-tag file-${status}`}>
                            {a.name} · {t(`cmp.status.${status}`)}
                          </li>
                        );
                      })}
                    </ul>
                    <ArtifactViewer artifacts={v.artifacts} source={studentFiles} label={t("sub.filesOf", { n: v.number })} idPrefix={`cmp${i}`} />
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
  const t = useT();
  return (
    <label className="field-inline small">
      <span>{text}</span>
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} aria-label={label}>
        {numbers.map((n) => (
          <option key={n} value={n}>
            {t("sub.version", { n })}
          </option>
        ))}
      </select>
    </label>
  );
}

function Diff({ lines, label }: { lines: DiffLine[]; label: string }) {
  const t = useT();
  if (lines.length === 0) return <p className="small muted">{t("cmp.emptyBoth")}</p>;
  if (lines.every((l) => l.op === "same")) {
    return (
      <>
        <p className="small muted">{t("cmp.noChanges")}</p>
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
          {l.op !== "same" && <span className="sr-only">{l.op === "add" ? t("cmp.added") : t("cmp.removed")}</span>}
          {l.op === "add" ? <ins className="diff-text">{l.line || "\u00a0"}</ins> : l.op === "del" ? <del className="diff-text">{l.line || "\u00a0"}</del> : <span className="diff-text">{l.line || "\u00a0"}</span>}
        </li>
      ))}
    </ol>
  );
}
