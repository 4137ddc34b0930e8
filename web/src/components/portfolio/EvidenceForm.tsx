// The form for new evidence and for a revised version: badge, title, the
// CPEs (and indicators) the work shows, typed work, a link, a reflection and
// files (drag and drop, the file picker, or the phone's camera).
import { useId, useMemo, useRef, useState, type DragEvent, type FormEvent } from "react";
import { ApiError, errorMessage, fieldMessage } from "../../lib/api";
import { scaleOf } from "../../lib/catalog";
import type { Catalog } from "../../lib/types";
import { ACCEPT_FILES, artifactKind, formatSize, uploadArtifacts, useCsrf, type Artifact, type CpeTag, type SubmissionVersion } from "../../lib/portfolio";
import { Field } from "../ui";
import { FileIcon } from "./bits";
import { useT } from "../../i18n";

export interface EvidencePayload {
  badge: string;
  title: string;
  text: string;
  link: string;
  reflection: string;
  tags: CpeTag[];
  artifacts: number[];
  submit: boolean;
}

interface Upload {
  key: number;
  name: string;
  size: number;
  status: "uploading" | "done" | "error";
  progress: number;
  artifact?: Artifact;
  error?: string;
}

interface Props {
  studentId: string;
  catalog: Catalog;
  mode: "new" | "revise";
  preferredBadges?: string[];
  initial?: { badge: string; title: string; version?: SubmissionVersion };
  /** A teacher adding work for a student: the camera comes first. */
  behalf?: boolean;
  onSave: (payload: EvidencePayload) => Promise<void>;
  onCancel?: () => void;
}

let uploadSeq = 1;

export function EvidenceForm({ studentId, catalog, mode, preferredBadges = [], initial, behalf, onSave, onCancel }: Props) {
  const csrf = useCsrf();
  const tr = useT();
  const v = initial?.version;
  const [badge, setBadge] = useState(initial?.badge ?? "");
  const [title, setTitle] = useState(initial?.title ?? "");
  const [text, setText] = useState(v?.text ?? "");
  const [link, setLink] = useState(v?.link ?? "");
  const [reflection, setReflection] = useState(v?.reflection ?? "");
  const [tags, setTags] = useState<CpeTag[]>(v?.tags.map((t) => ({ cpe: t.cpe, indicator: t.indicator || undefined })) ?? []);
  const [kept, setKept] = useState<Artifact[]>(v?.artifacts ?? []);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState<"draft" | "submit" | null>(null);
  const [dragging, setDragging] = useState(false);
  const pickerId = useId();
  const cameraId = useId();
  const errorRef = useRef<HTMLDivElement>(null);

  const catalogBadge = catalog.badges.find((b) => b.code === badge);
  const levels = scaleOf(catalog, catalogBadge)?.levels ?? [];
  const preferred = useMemo(() => catalog.badges.filter((b) => preferredBadges.includes(b.code)), [catalog, preferredBadges]);
  const others = useMemo(() => catalog.badges.filter((b) => !preferredBadges.includes(b.code)), [catalog, preferredBadges]);
  const busyUploading = uploads.some((u) => u.status === "uploading");

  const hasCpe = (cpe: string) => tags.some((t) => t.cpe === cpe);
  const hasIndicator = (cpe: string, ind: string) => tags.some((t) => t.cpe === cpe && t.indicator === ind);
  const toggleCpe = (cpe: string, on: boolean) => setTags((old) => (on ? [...old, { cpe }] : old.filter((t) => t.cpe !== cpe)));
  const toggleIndicator = (cpe: string, ind: string, on: boolean) =>
    setTags((old) => {
      const rest = old.filter((t) => t.cpe !== cpe);
      const inds = old.filter((t) => t.cpe === cpe && t.indicator).map((t) => t.indicator!);
      const next = on ? [...inds, ind] : inds.filter((i) => i !== ind);
      return next.length ? [...rest, ...next.map((i) => ({ cpe, indicator: i }))] : [...rest, { cpe }];
    });

  function addFiles(list: FileList | File[] | null) {
    if (!list) return;
    const files = Array.from(list);
    for (const file of files) {
      const key = uploadSeq++;
      setUploads((old) => [...old, { key, name: file.name, size: file.size, status: "uploading", progress: 0 }]);
      // One request per file, so one unsupported file does not hold up the rest.
      uploadArtifacts(studentId, [file], csrf, (p) => setUploads((old) => old.map((u) => (u.key === key ? { ...u, progress: p } : u))))
        .then((arts) => setUploads((old) => old.map((u) => (u.key === key ? { ...u, status: "done", progress: 1, artifact: arts[0] } : u))))
        .catch((e) => setUploads((old) => old.map((u) => (u.key === key ? { ...u, status: "error", error: uploadError(e, file.name) } : u))));
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  }

  async function save(submit: boolean, e?: FormEvent) {
    e?.preventDefault();
    const errs: Record<string, string> = {};
    if (mode === "new" && !badge) errs.badge = tr("form.err.badge");
    if (mode === "new" && !title.trim()) errs.title = tr("form.err.title");
    if (badge && tags.length === 0) errs.tags = tr("form.err.tags");
    const artifacts = [...kept.map((a) => a.id), ...uploads.filter((u) => u.status === "done" && u.artifact).map((u) => u.artifact!.id)];
    if (!text.trim() && !link.trim() && artifacts.length === 0) errs.text = tr("form.err.text");
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length) {
      setFormError(tr("form.err.missing"));
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    setSaving(submit ? "submit" : "draft");
    try {
      await onSave({ badge, title: title.trim(), text, link: link.trim(), reflection, tags, artifacts, submit });
    } catch (err) {
      if (err instanceof ApiError && err.field) {
        const key = err.field.split(/[.[]/)[0];
        setErrors({ [key]: fieldMessage(err) });
      }
      setFormError(errorMessage(err));
      requestAnimationFrame(() => errorRef.current?.focus());
    } finally {
      setSaving(null);
    }
  }

  return (
    <form className="card evidence-form" onSubmit={(e) => save(true, e)} noValidate aria-label={mode === "new" ? tr("portfolio.new") : tr("form.revised")}>
      <div ref={errorRef} tabIndex={-1} className="form-error-anchor">
        {formError && (
          <div className="notice notice-error" role="alert">
            <strong>{mode === "new" ? tr("form.notSaved") : tr("form.versionNotSaved")}</strong>
            <p>{formError}</p>
          </div>
        )}
      </div>
      {mode === "new" ? (
        <div className="form-grid">
          <Field label={tr("evidence.badge")} error={errors.badge}>
            {(p) => (
              <select
                {...p}
                value={badge}
                onChange={(e) => {
                  setBadge(e.target.value);
                  setTags([]);
                }}
              >
                <option value="">{tr("form.chooseBadge")}</option>
                {preferred.length > 0 && (
                  <optgroup label={tr("form.inCourses")}>
                    {preferred.map((b) => (
                      <option key={b.code} value={b.code}>
                        {b.code} {b.title}
                      </option>
                    ))}
                  </optgroup>
                )}
                <optgroup label={preferred.length ? tr("map.other") : tr("student.tab.badges")}>
                  {others.map((b) => (
                    <option key={b.code} value={b.code}>
                      {b.code} {b.title}
                    </option>
                  ))}
                </optgroup>
              </select>
            )}
          </Field>
          <Field label={tr("form.title")} error={errors.title} hint={tr("form.titleHint")}>
            {(p) => <input {...p} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} autoComplete="off" />}
          </Field>
        </div>
      ) : (
        <p className="small muted">
          <span className="code">{badge}</span> {title}. {tr("form.earlierStay")}
        </p>
      )}

      {catalogBadge && (
        <fieldset className={errors.tags ? "fieldset has-error" : "fieldset"} aria-describedby={errors.tags ? "tags-err" : undefined}>
          <legend>{tr("form.shows")}</legend>
          <p className="field-hint">{tr("form.showsHint")}</p>
          <ul className="cpe-tag-list">
            {catalogBadge.cpes.map((c) => (
              <li key={c.id}>
                <label className="check">
                  <input type="checkbox" checked={hasCpe(c.id)} onChange={(e) => toggleCpe(c.id, e.target.checked)} />
                  <span>
                    <span className="code code-sm">{c.id}</span> {c.label}
                  </span>
                </label>
                {c.statement && <p className="small muted cpe-tag-statement">{c.statement}</p>}
                {hasCpe(c.id) && c.indicators && c.indicators.length > 0 && (
                  <fieldset className="indicator-set">
                    <legend className="sr-only">{tr("form.indicatorsOf", { cpe: c.id })}</legend>
                    {c.indicators.map((ind) => (
                      <label className="check check-sm" key={ind.id} title={ind.description}>
                        <input type="checkbox" checked={hasIndicator(c.id, ind.id)} onChange={(e) => toggleIndicator(c.id, ind.id, e.target.checked)} />
                        <span>{ind.label}</span>
                      </label>
                    ))}
                  </fieldset>
                )}
              </li>
            ))}
          </ul>
          {errors.tags && (
            <p className="field-error" id="tags-err">
              {errors.tags}
            </p>
          )}
          {levels.length > 0 && <p className="small muted">{tr("form.ratesOn", { levels: levels.map((l) => l.label).join(", ") })}</p>}
        </fieldset>
      )}

      <div className="upload-area">
        <span className="label" id={`${pickerId}-label`}>
          {tr("form.files")}
        </span>
        <div
          className={dragging ? "dropzone is-dragging" : "dropzone"}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <p className="dropzone-text">
            <strong>{tr("form.drop")}</strong>{tr("form.dropOr")}
          </p>
          <div className="dropzone-actions">
            {behalf && (
              <>
                <input id={cameraId} className="file-input" type="file" accept="image/*" capture="environment" onChange={(e) => (addFiles(e.target.files), (e.target.value = ""))} />
                <label htmlFor={cameraId} className="btn btn-primary btn-sm">
                  {tr("form.photo")}
                </label>
              </>
            )}
            <input id={pickerId} className="file-input" type="file" multiple accept={ACCEPT_FILES} onChange={(e) => (addFiles(e.target.files), (e.target.value = ""))} data-testid="file-picker" />
            <label htmlFor={pickerId} className={behalf ? "btn btn-secondary btn-sm" : "btn btn-primary btn-sm"}>
              {tr("form.choose")}
            </label>
            {!behalf && (
              <>
                <input id={cameraId} className="file-input" type="file" accept="image/*" capture="environment" onChange={(e) => (addFiles(e.target.files), (e.target.value = ""))} />
                <label htmlFor={cameraId} className="btn btn-secondary btn-sm camera-btn">
                  {tr("form.photo")}
                </label>
              </>
            )}
          </div>
          <p className="field-hint">{tr("form.filesHint")}</p>
        </div>
        {(kept.length > 0 || uploads.length > 0) && (
          <ul className="upload-list" aria-live="polite" aria-label={tr("form.filesOf")}>
            {kept.map((a) => (
              <li key={`k${a.id}`} className="upload-item">
                <FileIcon kind={artifactKind(a)} />
                <span className="upload-name">
                  {a.name} <span className="muted small">· {formatSize(a.size)} · {tr("form.fromEarlier")}</span>
                </span>
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => setKept((old) => old.filter((x) => x.id !== a.id))}>
                  {tr("form.remove")}
                  <span className="sr-only"> {a.name}</span>
                </button>
              </li>
            ))}
            {uploads.map((u) => (
              <li key={u.key} className={`upload-item upload-${u.status}`} data-status={u.status}>
                <FileIcon kind={u.artifact ? artifactKind(u.artifact) : "document"} />
                <span className="upload-name">
                  {u.name} <span className="muted small">· {formatSize(u.size)}</span>
                  {u.status === "uploading" && <span className="small muted"> · {tr("form.uploading", { pct: Math.round(u.progress * 100) })}</span>}
                  {u.status === "done" && <span className="small upload-ok"> · {tr("form.uploaded")}</span>}
                  {u.status === "error" && (
                    <span className="field-error upload-error" role="alert">
                      {u.error}
                    </span>
                  )}
                </span>
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => setUploads((old) => old.filter((x) => x.key !== u.key))}>
                  {u.status === "error" ? tr("form.dismiss") : tr("form.remove")}
                  <span className="sr-only"> {u.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>

      <Field label={tr("form.typed")} error={errors.text} hint={tr("form.typedHint")}>
        {(p) => <textarea {...p} rows={7} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <Field label={tr("form.link")} error={errors.link} hint={tr("form.linkHint")}>
        {(p) => <input {...p} type="url" inputMode="url" value={link} placeholder="https://" onChange={(e) => setLink(e.target.value)} />}
      </Field>
      <Field label={behalf ? "Student's reflection (optional)" : tr("form.reflection")} error={errors.reflection} hint={behalf ? undefined : tr("form.reflectionHint")}>
        {(p) => <textarea {...p} rows={4} value={reflection} onChange={(e) => setReflection(e.target.value)} />}
      </Field>

      <div className="form-actions">
        {onCancel && (
          <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={saving !== null}>
            {tr("form.cancel")}
          </button>
        )}
        <button type="button" className="btn btn-secondary" disabled={saving !== null || busyUploading} onClick={() => save(false)}>
          {saving === "draft" ? tr("form.saving") : tr("form.draft")}
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving !== null || busyUploading}>
          {saving === "submit" ? tr("form.submitting") : mode === "new" ? (behalf ? "Submit for the student" : tr("form.submit")) : tr("form.submitVersion")}
        </button>
      </div>
      {busyUploading && <p className="small muted form-actions-note">{tr("form.waitUploads")}</p>}
    </form>
  );
}

/** "scan.exe: executable files and scripts are not accepted": always led by the whole file name. */
function uploadError(e: unknown, name: string): string {
  let msg = e instanceof ApiError && e.field ? fieldMessage(e) : errorMessage(e);
  if (msg.toLowerCase().startsWith(name.toLowerCase() + ":")) msg = msg.slice(name.length + 1).trim();
  return `${name}: ${msg ? msg[0].toLowerCase() + msg.slice(1) : "the upload failed"}`;
}
