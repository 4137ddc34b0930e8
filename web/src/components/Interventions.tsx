import { useState, type FormEvent } from "react";
import { ApiError, api, errorMessage } from "../lib/api";
import { useApi } from "../lib/hooks";
import { formatDate, todayIso } from "../lib/format";
import type { Catalog } from "../lib/types";
import { LiveMessage, Spinner } from "./ui";
import { useT, type T } from "../i18n";

/** A kind of support in the reader's language; the server's label for kinds this page does not know. */
function kindText(t: T, i: { kind: string; kind_label: string }): string {
  switch (i.kind) {
    case "reteach":
      return t("support.kind.reteach");
    case "flex_time":
      return t("support.kind.flex_time");
    case "tutoring":
      return t("support.kind.tutoring");
    case "summer":
      return t("support.kind.summer");
    case "other":
      return t("support.kind.other");
    default:
      return i.kind_label;
  }
}

export interface Intervention {
  id: string;
  badge: string;
  cpe: string;
  kind: string;
  kind_label: string;
  provider: string;
  started_on: string;
  note: string;
  ended_on: string;
  exit_note: string;
  open: boolean;
}

const KINDS: { value: string; label: string }[] = [
  { value: "reteach", label: "Re-teaching" },
  { value: "flex_time", label: "Flex time" },
  { value: "tutoring", label: "Tutoring" },
  { value: "summer", label: "Summer work" },
  { value: "other", label: "Other support" },
];

/**
 * The support a student is given on a badge or CPE. Everyone who may see the
 * student sees the list; staff open and close. Opening and closing are both
 * kept: closing records the end beside the start.
 */
export function Interventions({ studentId, catalog, canEdit, name }: { studentId: string; catalog: Catalog | undefined; canEdit: boolean; name: string }) {
  const base = `/api/v1/students/${encodeURIComponent(studentId)}/interventions`;
  const { data, error, reload } = useApi<{ interventions: Intervention[] }>(base);
  const t = useT();
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  const titleOf = (code: string) => catalog?.badges.find((b) => b.code === code)?.title ?? "";
  const cpeLabel = (badge: string, cpe: string) => catalog?.badges.find((b) => b.code === badge)?.cpes.find((c) => c.id === cpe)?.label ?? cpe;

  async function close(i: Intervention) {
    const note = window.prompt(`How did the ${i.kind_label.toLowerCase()} on ${i.badge} end? (optional)`, "");
    if (note === null) return;
    try {
      await api.post(`${base}/${encodeURIComponent(i.id)}/close`, { note: note.trim() || undefined });
      setMessage({ text: `${i.kind_label} on ${i.badge} closed.`, tone: "success" });
      reload();
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
    }
  }

  return (
    <section aria-labelledby="supports-title">
      <h2 id="supports-title" className="section-title">
        {name ? t("support.titleFor", { name }) : t("student.tab.support")}
      </h2>
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {error !== undefined && <p className="notice notice-error">{errorMessage(error)}</p>}
      {!data && error === undefined && <Spinner label={t("support.loading")} />}
      {data && data.interventions.length === 0 && <p className="muted">{t("support.none")}</p>}
      {data && data.interventions.length > 0 && (
        <ul className="intervention-list">
          {data.interventions.map((i) => (
            <li key={i.id} className={i.open ? "intervention open" : "intervention"} data-intervention={i.id}>
              <p>
                <strong>{kindText(t, i)}</strong> {t("support.onBadge", { badge: `${i.badge} ${titleOf(i.badge)}` })}
                {i.cpe && <> · {cpeLabel(i.badge, i.cpe)}</>}
              </p>
              <p className="small muted">
                {i.provider && <>{i.provider} · </>}
                {i.open ? t("support.since", { date: formatDate(i.started_on) }) : t("support.fromTo", { from: formatDate(i.started_on), to: formatDate(i.ended_on) })}
              </p>
              {i.note && <p className="small">{i.note}</p>}
              {!i.open && i.exit_note && <p className="small">{t("support.outcome", { note: i.exit_note })}</p>}
              {canEdit && i.open && (
                <button type="button" className="btn btn-secondary btn-sm" onClick={() => close(i)}>
                  Close<span className="sr-only"> the {i.kind_label.toLowerCase()} on {i.badge}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && catalog && <OpenForm base={base} catalog={catalog} onOpened={(text) => { setMessage({ text, tone: "success" }); reload(); }} />}
    </section>
  );
}

function OpenForm({ base, catalog, onOpened }: { base: string; catalog: Catalog; onOpened: (text: string) => void }) {
  const [badge, setBadge] = useState(catalog.badges[0]?.code ?? "");
  const [cpe, setCpe] = useState("");
  const [kind, setKind] = useState("reteach");
  const [provider, setProvider] = useState("");
  const [started, setStarted] = useState(todayIso());
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const cpes = catalog.badges.find((b) => b.code === badge)?.cpes ?? [];
  // Each problem beside its field, in words.
  const problem = (field: string): string | undefined => {
    if (!(error instanceof ApiError)) return undefined;
    const found = error.errors.find((p) => p.field === field);
    if (found) return found.message;
    return error.field === field ? error.message.replace(`${field}: `, "") : undefined;
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(base, { badge, cpe: cpe || undefined, kind, provider: provider.trim() || undefined, started_on: started, note: note.trim() || undefined });
      onOpened(`${KINDS.find((k) => k.value === kind)?.label ?? kind} on ${badge} recorded.`);
      setNote("");
      setProvider("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card intervention-form" onSubmit={submit} aria-labelledby="open-support-title">
      <h3 id="open-support-title">Record new support</h3>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="iv-badge">Badge</label>
          <select id="iv-badge" value={badge} onChange={(e) => { setBadge(e.target.value); setCpe(""); }} aria-invalid={!!problem("badge")}>
            {catalog.badges.map((b) => (
              <option key={b.code} value={b.code}>
                {b.code} {b.title}
              </option>
            ))}
          </select>
          {problem("badge") && <span className="field-error">{problem("badge")}</span>}
        </div>
        <div className="field">
          <label htmlFor="iv-cpe">CPE (optional)</label>
          <select id="iv-cpe" value={cpe} onChange={(e) => setCpe(e.target.value)}>
            <option value="">The whole badge</option>
            {cpes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="iv-kind">Kind of support</label>
          <select id="iv-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="iv-provider">Who gives it (optional)</label>
          <input id="iv-provider" value={provider} onChange={(e) => setProvider(e.target.value)} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="iv-start">Starts on</label>
          <input id="iv-start" type="date" value={started} max={todayIso()} onChange={(e) => setStarted(e.target.value)} aria-invalid={!!problem("started_on")} />
          {problem("started_on") && <span className="field-error">{problem("started_on")}</span>}
        </div>
        <div className="field span-all">
          <label htmlFor="iv-note">Note (optional)</label>
          <textarea id="iv-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={2} />
        </div>
      </div>
      {error !== null && !problem("badge") && !problem("started_on") && <p className="notice notice-error" role="alert">{errorMessage(error)}</p>}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? "Saving…" : "Record support"}
      </button>
    </form>
  );
}
