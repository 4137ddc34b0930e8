// Student agency settings for admins: whether students may request badges
// outside their sections (setting "agency"), how badges count toward course
// credit and graduation (setting "credit_map", agency/credit_map.h), and
// which district leaders read classroom observations.
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, api, enc, errorMessage } from "../../lib/api";
import { useApi } from "../../lib/hooks";
import { useMe } from "../../lib/auth";
import { Field, LiveMessage } from "../../components/ui";

type Message = { text: string; tone: "success" | "error" } | null;

interface Requirement {
  id: string;
  title: string;
  kind: "credit" | "graduation";
  credits?: number;
  badges?: string[];
  min_badges?: number;
  credits_from?: string[];
  credits_needed?: number;
}

// One editable row: lists as comma-separated text, numbers as text.
interface Row {
  id: string;
  title: string;
  kind: "credit" | "graduation";
  credits: string;
  badges: string;
  min_badges: string;
  credits_from: string;
  credits_needed: string;
}

const toRow = (r: Requirement): Row => ({
  id: r.id,
  title: r.title,
  kind: r.kind,
  credits: r.credits !== undefined ? String(r.credits) : "",
  badges: (r.badges ?? []).join(", "),
  min_badges: r.min_badges !== undefined && r.min_badges !== (r.badges ?? []).length ? String(r.min_badges) : "",
  credits_from: (r.credits_from ?? []).join(", "),
  credits_needed: r.credits_needed !== undefined ? String(r.credits_needed) : "",
});

const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

function fromRow(r: Row): Requirement {
  const out: Requirement = { id: r.id.trim(), title: r.title.trim(), kind: r.kind };
  const badges = list(r.badges);
  if (badges.length) out.badges = badges;
  if (r.min_badges.trim()) out.min_badges = Number(r.min_badges);
  if (r.kind === "credit") out.credits = r.credits.trim() === "" ? 0 : Number(r.credits);
  else {
    const from = list(r.credits_from);
    if (from.length) out.credits_from = from;
    if (r.credits_needed.trim()) out.credits_needed = Number(r.credits_needed);
  }
  return out;
}

const EMPTY: Row = { id: "", title: "", kind: "credit", credits: "1", badges: "", min_badges: "", credits_from: "", credits_needed: "" };

export function AgencySettingsSection() {
  return (
    <>
      <BadgeRequestsSetting />
      <CreditMapEditor />
      <ObservationReaders />
    </>
  );
}

function BadgeRequestsSetting() {
  const { data } = useApi<{ badge_requests: boolean }>("/api/v1/settings/agency");
  const [on, setOn] = useState<boolean | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const checked = on ?? data?.badge_requests ?? true;
  async function set(next: boolean) {
    setMessage(null);
    setOn(next);
    try {
      const saved = await api.put<{ badge_requests: boolean }>("/api/v1/settings/agency", { badge_requests: next });
      setOn(saved.badge_requests);
      setMessage({ text: saved.badge_requests ? "Students may request badges outside their classes." : "Badge requests are turned off.", tone: "success" });
    } catch (e) {
      setOn(!next);
      setMessage({ text: errorMessage(e), tone: "error" });
    }
  }
  return (
    <section className="card" aria-labelledby="requests-h">
      <h2 id="requests-h">Badge requests</h2>
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      <label className="check">
        <input type="checkbox" checked={checked} disabled={!data} onChange={(e) => void set(e.target.checked)} /> Students may request a badge outside their classes (independent study, credit recovery, career and technical education); a teacher accepts or declines.
      </label>
    </section>
  );
}

function CreditMapEditor() {
  const { data } = useApi<{ requirements: Requirement[] }>("/api/v1/settings/credit-map");
  const [rows, setRows] = useState<Row[] | null>(null);
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  const [message, setMessage] = useState<Message>(null);
  useEffect(() => {
    if (data && rows === null) setRows(data.requirements.map(toRow));
  }, [data, rows]);

  function update(i: number, patch: Partial<Row>) {
    setRows((old) => (old ? old.map((r, j) => (j === i ? { ...r, ...patch } : r)) : old));
  }
  async function save(e: FormEvent) {
    e.preventDefault();
    if (!rows) return;
    setMessage(null);
    setProblems([]);
    try {
      const saved = await api.put<{ requirements: Requirement[] }>("/api/v1/settings/credit-map", { requirements: rows.map(fromRow) });
      setRows(saved.requirements.map(toRow));
      setMessage({ text: "Credit and graduation map saved.", tone: "success" });
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) setProblems(err.errors);
      setMessage({ text: errorMessage(err), tone: "error" });
    }
  }
  // "credit_map.requirements[2].badges[0]" belongs to row 3.
  const rowProblems = (i: number) => problems.filter((p) => p.field.startsWith(`credit_map.requirements[${i}]`));

  return (
    <section className="card" aria-labelledby="credit-map-h">
      <h2 id="credit-map-h">Credit and graduation</h2>
      <p className="small muted">
        A course credit is earned with badges (all of those listed, or at least a number of them). A graduation requirement counts the credits of the course credits it names, and may also ask for badges. Only confirmed awards count. Students and families see where they stand on their learning plan and transcript.
      </p>
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {rows && (
        <form onSubmit={save}>
          {rows.length === 0 && <p className="muted">No requirements yet.</p>}
          {rows.map((r, i) => (
            <fieldset key={i} className="credit-row" data-row={i}>
              <legend>Requirement {i + 1}</legend>
              <div className="form-row">
                <Field id={`req-${i}-title`} label="Title">
                  {(f) => <input {...f} value={r.title} onChange={(e) => update(i, { title: e.target.value })} />}
                </Field>
                <Field id={`req-${i}-id`} label="Id" hint="Lowercase, e.g. algebra-1">
                  {(f) => <input {...f} value={r.id} onChange={(e) => update(i, { id: e.target.value })} />}
                </Field>
                <Field id={`req-${i}-kind`} label="Kind">
                  {(f) => (
                    <select {...f} value={r.kind} onChange={(e) => update(i, { kind: e.target.value as Row["kind"] })}>
                      <option value="credit">Course credit</option>
                      <option value="graduation">Graduation requirement</option>
                    </select>
                  )}
                </Field>
              </div>
              <div className="form-row">
                <Field id={`req-${i}-badges`} label="Badges" hint="Codes, separated by commas">
                  {(f) => <input {...f} value={r.badges} onChange={(e) => update(i, { badges: e.target.value })} />}
                </Field>
                <Field id={`req-${i}-min`} label="How many of them" hint="Empty: all">
                  {(f) => <input {...f} inputMode="numeric" value={r.min_badges} onChange={(e) => update(i, { min_badges: e.target.value })} />}
                </Field>
                {r.kind === "credit" ? (
                  <Field id={`req-${i}-credits`} label="Credits given">
                    {(f) => <input {...f} inputMode="decimal" value={r.credits} onChange={(e) => update(i, { credits: e.target.value })} />}
                  </Field>
                ) : (
                  <>
                    <Field id={`req-${i}-from`} label="Credits from" hint="Ids of course credits">
                      {(f) => <input {...f} value={r.credits_from} onChange={(e) => update(i, { credits_from: e.target.value })} />}
                    </Field>
                    <Field id={`req-${i}-needed`} label="Credits needed">
                      {(f) => <input {...f} inputMode="decimal" value={r.credits_needed} onChange={(e) => update(i, { credits_needed: e.target.value })} />}
                    </Field>
                  </>
                )}
              </div>
              {rowProblems(i).length > 0 && (
                <ul className="field-errors" role="alert">
                  {rowProblems(i).map((p) => (
                    <li key={p.field + p.message}>
                      {p.field.replace(`credit_map.requirements[${i}].`, "")}: {p.message}
                    </li>
                  ))}
                </ul>
              )}
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => setRows((old) => (old ? old.filter((_, j) => j !== i) : old))}>
                Remove requirement {i + 1}
              </button>
            </fieldset>
          ))}
          <div className="form-actions">
            <button type="button" className="btn btn-secondary" onClick={() => setRows((old) => [...(old ?? []), { ...EMPTY }])}>
              Add a requirement
            </button>
            <button type="submit" className="btn btn-primary">
              Save the credit map
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ObservationReaders() {
  const me = useMe();
  const district = me.district?.id ?? "";
  const path = `/api/v1/districts/${enc(district)}/observation-readers`;
  const { data, reload } = useApi<{ named: boolean; readers: { id: string; name: string }[] }>(district ? path : null);
  const [text, setText] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  if (!district) return null;
  const value = text ?? (data?.readers ?? []).map((r) => r.id).join(", ");
  async function save(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    try {
      await api.put(path, { readers: list(value) });
      setText(null);
      reload();
      setMessage({ text: "Observation readers saved.", tone: "success" });
    } catch (err) {
      setMessage({ text: errorMessage(err), tone: "error" });
    }
  }
  return (
    <section className="card" aria-labelledby="obs-readers-h">
      <h2 id="obs-readers-h">Who reads classroom observations</h2>
      <p className="small muted">
        Observations are staff evaluation data: the observer and the observed teacher always see theirs.{" "}
        {data?.named ? `Besides them, only these district leaders: ${data.readers.map((r) => r.name).join(", ") || "none"}.` : "Until you name leaders here, every district leader reads them."}
      </p>
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      <form onSubmit={save} className="form-row">
        <Field id="obs-readers" label="District leaders (ids, separated by commas)">
          {(f) => <input {...f} value={value} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <button type="submit" className="btn btn-secondary">
          Save readers
        </button>
      </form>
    </section>
  );
}
