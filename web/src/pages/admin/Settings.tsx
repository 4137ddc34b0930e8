import { useState, type FormEvent } from "react";
import { api, errorMessage } from "../../lib/api";
import { loadCatalog } from "../../lib/catalog";
import { useApi, useDocumentTitle } from "../../lib/hooks";
import { CALCULATION_METHODS } from "../../lib/format";
import type { Calculation, Settings } from "../../lib/types";
import { AgencySettingsSection } from "./AgencySettings";
import { PacePlanSection } from "./PacePlan";
import { LANGUAGES } from "../../i18n";
import { ErrorNotice, Field, LiveMessage, PageHeader, Spinner, WholeNumberInput } from "../../components/ui";

const USES_N = ["mode_of_recent", "mean_of_recent", "n_times_at_mastery"];
const USES_WEIGHT = ["decaying_average", "decaying_recursive"];

export function SettingsPage() {
  useDocumentTitle("Settings");
  const { data, error, loading, reload } = useApi<Settings>("/api/v1/settings");
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  return (
    <div className="page page-narrow">
      <PageHeader title="District settings" subtitle="How Cairn turns evidence into mastery, and whether awards need a teacher's confirmation." />
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner />}
      {data && <SettingsForm initial={data} onMessage={setMessage} />}
      <PacePlanSection />
      <AgencySettingsSection />
    </div>
  );
}

function SettingsForm({ initial, onMessage }: { initial: Settings; onMessage: (m: { text: string; tone: "success" | "error" } | null) => void }) {
  const [autoAward, setAutoAward] = useState(initial.auto_award);
  const [calc, setCalc] = useState<Calculation>({ method: "most_recent", n: 3, weight: 0.65, include_formative: false, ...initial.calculation });
  const [language, setLanguage] = useState(initial.language ?? "en");
  // Only a server that knows the setting gets it back.
  const hasLanguage = initial.language !== undefined;
  const [busy, setBusy] = useState(false);
  const setMessage = onMessage;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const body: Settings = { auto_award: autoAward, calculation: { method: calc.method, n: calc.n, weight: calc.weight, include_formative: calc.include_formative } };
      if (hasLanguage) body.language = language;
      const saved = await api.put<Settings>("/api/v1/settings", body);
      setAutoAward(saved.auto_award);
      if (saved.calculation) setCalc(saved.calculation);
      if (saved.language) setLanguage(saved.language);
      setMessage({ text: "Settings saved. Mastery is recalculated with the new method from now on.", tone: "success" });
      void loadCatalog(true);
    } catch (err) {
      setMessage({ text: errorMessage(err), tone: "error" });
    } finally {
      setBusy(false);
    }
  }

  const method = CALCULATION_METHODS.find((m) => m.id === calc.method);
  return (
    <form className="card" onSubmit={submit} noValidate>
      <fieldset className="fieldset">
        <legend>Awards</legend>
        <label className="check">
          <input type="checkbox" checked={autoAward} onChange={(e) => setAutoAward(e.target.checked)} />
          Award badges automatically when a student meets the rule
        </label>
        <p className="field-hint">When off, Cairn proposes the award and a teacher confirms it.</p>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Default calculation method</legend>
        <Field label="Method" hint={method?.hint}>
          {(p) => (
            <select {...p} value={calc.method} onChange={(e) => setCalc({ ...calc, method: e.target.value })}>
              {CALCULATION_METHODS.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-grid">
          {USES_N.includes(calc.method) && (
            <Field label="n (number of scores)" hint="1 to 100.">
              {(p) => <WholeNumberInput {...p} min={1} max={100} value={calc.n} onChange={(n) => setCalc({ ...calc, n })} />}
            </Field>
          )}
          {USES_WEIGHT.includes(calc.method) && (
            <Field label="Weight of the newest score" hint="More than 0, at most 1.">
              {(p) => <input {...p} type="number" min={0.05} max={1} step={0.05} value={calc.weight ?? ""} onChange={(e) => setCalc({ ...calc, weight: e.target.value === "" ? undefined : Number(e.target.value) })} />}
            </Field>
          )}
        </div>
        <label className="check">
          <input type="checkbox" checked={calc.include_formative ?? false} onChange={(e) => setCalc({ ...calc, include_formative: e.target.checked })} />
          Count formative checks in the calculation
        </label>
        <p className="field-hint">Off by default: formative checks guide teaching but do not change a student's status.</p>
      </fieldset>
      {hasLanguage && (
        <fieldset className="fieldset">
          <legend>Language</legend>
          <Field label="Default language for families and students" hint="Each family and student can still choose their own language; staff pages stay in English.">
            {(p) => (
              <select {...p} value={language} onChange={(e) => setLanguage(e.target.value === "es" ? "es" : "en")}>
                {LANGUAGES.map((l) => (
                  <option key={l.code} value={l.code} lang={l.code}>
                    {l.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}
