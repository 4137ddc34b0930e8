// The student's own rating of a piece of work against a CPE, shown beside
// the teacher's review and never mixed into it: self-assessments are kept in
// the student's plan (POST /api/v1/students/{student}/self-assessments) and
// never count toward mastery. The teacher's rating form is not prefilled.
import { useState, type FormEvent } from "react";
import { api, enc, errorMessage } from "../../lib/api";
import { useApi } from "../../lib/hooks";
import { formatDate } from "../../lib/format";
import type { CatalogBadge, ScaleLevel } from "../../lib/types";
import { useT } from "../../i18n";
import { Field, LiveMessage } from "../ui";

interface SelfAssessmentItem {
  cpe: string;
  cpe_label?: string;
  level: string;
  level_label?: string;
  note: string;
  submission?: number;
  at: string;
}

export function SelfAssessment({ studentId, submissionId, own, badge, levels, tagged }: { studentId: string; submissionId: number; own: boolean; badge: CatalogBadge | undefined; levels: ScaleLevel[]; tagged: string[] }) {
  const t = useT();
  const base = `/api/v1/students/${enc(studentId)}`;
  const { data, reload } = useApi<{ self_assessments: SelfAssessmentItem[] }>(`${base}/plan`);
  const mine = (data?.self_assessments ?? []).filter((s) => s.submission === submissionId);
  const cpes = badge ? badge.cpes.filter((c) => tagged.length === 0 || tagged.includes(c.id)) : [];
  const [cpe, setCpe] = useState("");
  const [level, setLevel] = useState("");
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  if (!own && mine.length === 0) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    try {
      await api.post(`${base}/self-assessments`, { cpe: cpe || cpes[0]?.id, level, note, submission: submissionId });
      setMessage({ text: t("self.saved"), tone: "success" });
      setNote("");
      reload();
    } catch (err) {
      setMessage({ text: errorMessage(err), tone: "error" });
    }
  }

  return (
    <section className="card self-assessment" aria-labelledby="self-title">
      <h2 id="self-title" className="section-title inline">
        {own ? t("self.title") : t("self.titleOther")}
      </h2>
      {own && <p className="small muted">{t("self.intro")}</p>}
      {mine.length > 0 && (
        <ul className="self-list">
          {mine.map((s, i) => (
            <li key={i} data-cpe={s.cpe} data-level={s.level}>
              <span className="code code-sm">{s.cpe}</span> {s.cpe_label ?? ""}: <strong>{s.level_label ?? s.level}</strong>
              {s.note ? <span className="block small">{s.note}</span> : null}
              <span className="small muted"> {formatDate(s.at.slice(0, 10))}</span>
            </li>
          ))}
        </ul>
      )}
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {own && cpes.length > 0 && levels.length > 0 && (
        <form className="plan-form" onSubmit={submit}>
          <Field id="self-sub-cpe" label={t("self.expectation")}>
            {(f) => (
              <select {...f} value={cpe || cpes[0].id} onChange={(e) => setCpe(e.target.value)}>
                {cpes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.id} {c.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <SelfLevelField id="self-sub-level" label={t("self.myLevel")} levels={levels} value={level} onChange={setLevel} />
          <Field id="self-sub-note" label={t("plan.whyOptional")}>
            {(f) => <textarea {...f} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <button type="submit" className="btn btn-secondary btn-sm" disabled={!level}>
            {t("plan.saveRating")}
          </button>
        </form>
      )}
    </section>
  );
}

/** The level a student gives their own work, from the badge's scale. */
export function SelfLevelField({ id, label, levels, value, onChange, disabled = false }: { id: string; label: string; levels: ScaleLevel[]; value: string; onChange: (level: string) => void; disabled?: boolean }) {
  const t = useT();
  return (
    <Field id={id} label={label}>
      {(f) => (
        <select {...f} value={value} required disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("self.chooseLevel")}</option>
          {levels.map((l) => (
            <option key={l.id} value={l.id}>
              {l.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
