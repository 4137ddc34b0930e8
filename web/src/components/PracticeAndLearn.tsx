import { useState, type FormEvent } from "react";
import { api, ApiError, enc, errorMessage, fieldMessage } from "../lib/api";
import { safeHttpUrl, type CurriculumResource } from "../lib/alignment";
import type { Indicator } from "../lib/types";
import { useT } from "../i18n";
import { Field } from "./ui";

const FIELDS = ["title", "url", "provider", "kind", "note", "indicator"] as const;
type FieldName = (typeof FIELDS)[number];
const KINDS = ["practice", "video", "lesson", "worksheet", "activity", "reading"];

/**
 * "Practice and learn" under one CPE of the badge page: the links the
 * district's teachers recommend (each opens in a new tab, without access to
 * this page), a remove button on the ones the viewer may remove, and for
 * staff a form to add one (POST /api/v1/catalog/cpes/{cpe}/resources).
 */
export function PracticeAndLearn({ cpe, resources, indicators, canAdd, onChanged }: { cpe: string; resources: CurriculumResource[]; indicators?: Indicator[]; canAdd: boolean; onChanged: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState("");
  const [url, setUrl] = useState("");
  const [provider, setProvider] = useState("");
  const [kind, setKind] = useState("practice");
  const [note, setNote] = useState("");
  const [indicator, setIndicator] = useState("");
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState("");
  const [busy, setBusy] = useState(false);

  if (!canAdd && resources.length === 0) return null;
  const headingId = `practice-${cpe.replace(/[^A-Za-z0-9]+/g, "-")}`;

  async function add(e: FormEvent) {
    e.preventDefault();
    const local: Partial<Record<FieldName, string>> = {};
    if (!title.trim()) local.title = "Give the resource a title.";
    if (!safeHttpUrl(url.trim())) local.url = "Enter a link that starts with https:// or http://.";
    setErrors(local);
    setFormError("");
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const body: Record<string, string> = { title: title.trim(), url: url.trim(), provider: provider.trim(), kind, note: note.trim() };
      if (indicator) body.indicator = indicator;
      await api.post(`/api/v1/catalog/cpes/${enc(cpe)}/resources`, body);
      setTitle("");
      setUrl("");
      setNote("");
      setOpen(false);
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.field && (FIELDS as readonly string[]).includes(err.field)) {
        setErrors({ [err.field as FieldName]: fieldMessage(err) });
      } else {
        setFormError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  }

  async function remove(resource: CurriculumResource) {
    setFormError("");
    try {
      await api.del(`/api/v1/catalog/resources/${resource.id}`);
      onChanged();
    } catch (err) {
      setFormError(errorMessage(err));
    }
  }

  return (
    <section className="practice-learn" aria-labelledby={headingId} data-practice={cpe}>
      <h4 id={headingId} className="small">
        {t("practice.title")}
      </h4>
      {resources.length === 0 ? (
        <p className="small muted">{t("practice.none")}</p>
      ) : (
        <ul className="plain small resource-list">
          {resources.map((r) => {
            const href = safeHttpUrl(r.url);
            return (
              <li key={r.id} data-resource={r.id}>
                {href ? (
                  <a href={href} target="_blank" rel="noopener noreferrer">
                    {r.title}
                  </a>
                ) : (
                  <span>{r.title}</span>
                )}
                {(r.provider || r.kind) && <span className="muted"> · {[r.provider, r.kind].filter(Boolean).join(", ")}</span>}
                {r.note && <span className="muted"> — {r.note}</span>}
                {r.can_remove && (
                  <button type="button" className="btn btn-secondary btn-sm" onClick={() => void remove(r)}>
                    Remove<span className="sr-only"> {r.title}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {formError && (
        <div className="notice notice-error" role="alert">
          <p>{formError}</p>
        </div>
      )}
      {canAdd && !open && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen(true)}>
          Add a resource<span className="sr-only"> for {cpe}</span>
        </button>
      )}
      {canAdd && open && (
        <form className="resource-form" onSubmit={add} noValidate>
          <div className="form-grid">
            <Field label="Title" error={errors.title}>
              {(p) => <input {...p} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} required data-autofocus="" />}
            </Field>
            <Field label="Link" error={errors.url} hint="https://…">
              {(p) => <input {...p} type="url" value={url} maxLength={2048} onChange={(e) => setUrl(e.target.value)} required />}
            </Field>
            <Field label="Provider" error={errors.provider} hint="Khan Academy, Desmos, IXL, the district…">
              {(p) => <input {...p} value={provider} maxLength={200} onChange={(e) => setProvider(e.target.value)} />}
            </Field>
            <Field label="Kind" error={errors.kind}>
              {(p) => (
                <select {...p} value={kind} onChange={(e) => setKind(e.target.value)}>
                  {KINDS.map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {indicators && indicators.length > 0 && (
              <Field label="Indicator (optional)" error={errors.indicator}>
                {(p) => (
                  <select {...p} value={indicator} onChange={(e) => setIndicator(e.target.value)}>
                    <option value="">The whole CPE</option>
                    {indicators.map((i) => (
                      <option key={i.id} value={i.id}>
                        {i.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
          <Field label="Note (optional)" error={errors.note}>
            {(p) => <textarea {...p} rows={2} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <div className="form-actions">
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
              {busy ? "Adding…" : "Add resource"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
