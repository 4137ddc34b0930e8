import { useMemo, useState, type FormEvent } from "react";
import { api, ApiError, errorMessage, fieldMessage } from "../lib/api";
import { EVIDENCE_KINDS, todayIso } from "../lib/format";
import type { Indicator, RecordOutcome, ScaleLevel } from "../lib/types";
import type { AssessmentItem } from "../lib/alignment";
import { Field, LevelChip } from "./ui";

export interface RatingTarget {
  student: { id: string; name: string };
  cpe: { id: string; label: string; statement?: string };
  currentLevel: string | null;
  currentLabel?: string;
}

interface Props {
  target: RatingTarget;
  levels: ScaleLevel[];
  indicators?: Indicator[];
  /** The badge's interim assessment items; those of this CPE may be picked. */
  items?: AssessmentItem[];
  onCancel: () => void;
  onSaved: (outcome: RecordOutcome, level: ScaleLevel) => void;
}

const FIELDS = ["level", "demonstrated_on", "kind", "note", "indicator", "assessment_item"] as const;
type FieldName = (typeof FIELDS)[number];

export function RatingForm({ target, levels, indicators, items, onCancel, onSaved }: Props) {
  const [level, setLevel] = useState("");
  const [date, setDate] = useState(todayIso());
  const [kind, setKind] = useState("summative");
  const [indicator, setIndicator] = useState("");
  const [item, setItem] = useState("");
  const cpeItems = useMemo(() => (items ?? []).filter((i) => i.cpe === target.cpe.id), [items, target.cpe.id]);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState("");
  const selected = useMemo(() => levels.find((l) => l.id === level), [levels, level]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Partial<Record<FieldName, string>> = {};
    if (!level) local.level = "Choose the level the work shows.";
    if (!date) local.demonstrated_on = "Enter the date the student did the work.";
    setErrors(local);
    setFormError("");
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const body: Record<string, string | number> = { student: target.student.id, cpe: target.cpe.id, level, demonstrated_on: date, kind, note: note.trim() };
      if (indicator) body.indicator = indicator;
      if (item) body.assessment_item = Number(item);
      const outcome = await api.post<RecordOutcome>("/api/v1/ratings", body);
      onSaved(outcome, selected!);
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

  return (
    <form className="rating-form" onSubmit={submit} noValidate data-rating-form="">
      <div className="rating-context">
        <div>
          <span className="context-label">Student</span>
          <strong>{target.student.name}</strong>
        </div>
        <div>
          <span className="context-label">Now</span>
          <LevelChip levels={levels} level={target.currentLevel} label={target.currentLabel} size="sm" />
        </div>
      </div>
      {target.cpe.statement && <p className="cpe-statement">{target.cpe.statement}</p>}
      {formError && (
        <div className="notice notice-error" role="alert">
          <p>{formError}</p>
        </div>
      )}
      <div className="form-grid">
        <Field label="Level shown" error={errors.level} hint={selected?.description}>
          {(p) => (
            <select {...p} value={level} onChange={(e) => setLevel(e.target.value)} required data-autofocus="">
              <option value="">Choose a level…</option>
              {levels.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label}
                  {l.mastery ? " (mastery)" : ""}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Date demonstrated" error={errors.demonstrated_on}>
          {(p) => <input {...p} type="date" value={date} max={todayIso()} onChange={(e) => setDate(e.target.value)} required />}
        </Field>
        <Field label="Kind of evidence" error={errors.kind} hint={EVIDENCE_KINDS.find((k) => k.id === kind)?.hint}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value)}>
              {EVIDENCE_KINDS.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {indicators && indicators.length > 0 && (
          <Field label="Indicator (optional)" error={errors.indicator}>
            {(p) => (
              <select {...p} value={indicator} onChange={(e) => setIndicator(e.target.value)}>
                <option value="">Not specified</option>
                {indicators.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {cpeItems.length > 0 && (
          <Field label="Assessment item (optional)" error={errors.assessment_item} hint="The interim assessment item this work answered.">
            {(p) => (
              <select {...p} value={item} onChange={(e) => setItem(e.target.value)}>
                <option value="">None</option>
                {cpeItems.map((i) => (
                  <option key={i.id} value={String(i.id)}>
                    {i.item_key}
                    {i.title ? ` · ${i.title}` : ""}
                    {i.target ? ` (${i.target})` : ""}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <Field label="Feedback for the student" error={errors.note} hint="The student and their family see this note with the rating.">
        {(p) => <textarea {...p} rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What went well, and what to try next" />}
      </Field>
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save rating"}
        </button>
      </div>
    </form>
  );
}
