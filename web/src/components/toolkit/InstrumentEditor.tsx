// A district adapts a shipped instrument or adds its own (PUT
// /api/v1/districts/{district}/instruments/{id}; docs/instrument-format.md).
// The document is edited as JSON: the format is documented, and every
// problem comes back with its JSON path.
import { useState, type FormEvent } from "react";
import { ApiError, api, enc, errorMessage, type FieldProblem } from "../../lib/api";
import type { InstrumentSummary } from "../../lib/toolkit";
import { Field, LiveMessage } from "../ui";

export function InstrumentEditor({ base, instruments, district, canEdit, onSaved }: { base: string; instruments: (InstrumentSummary & { origin?: string })[]; district: string; canEdit: boolean; onSaved: () => void }) {
  const [from, setFrom] = useState("");
  const [text, setText] = useState("");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  const own = instruments.filter((i) => i.origin === "district");

  async function start(id: string) {
    setFrom(id);
    setProblems([]);
    if (!id) return setText("");
    const doc = await api.get<Record<string, unknown>>(`${base}/instruments/${enc(id)}`);
    delete doc.origin;
    if (instruments.find((i) => i.id === id)?.origin !== "district") {
      doc.id = `${id}-${district}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
      doc.title = `${doc.title as string} (adapted)`;
    }
    setText(JSON.stringify(doc, null, 2));
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    setProblems([]);
    let doc: { id?: unknown };
    try {
      doc = JSON.parse(text);
    } catch (err) {
      setMessage({ text: `Not valid JSON: ${(err as Error).message}`, tone: "error" });
      return;
    }
    const id = typeof doc.id === "string" ? doc.id : "";
    if (!id) {
      setMessage({ text: "The document needs an \"id\".", tone: "error" });
      return;
    }
    try {
      await api.put(`${base}/instruments/${enc(id)}`, doc);
      setMessage({ text: `Saved ${id}. Teams can answer it in rounds now; open rounds keep the version they started with.`, tone: "success" });
      onSaved();
    } catch (err) {
      if (err instanceof ApiError) setProblems(err.errors);
      setMessage({ text: errorMessage(err), tone: "error" });
    }
  }

  return (
    <div className="card">
      <h2 className="section-title">Your district's instruments</h2>
      <p className="small muted">
        Adapt a shipped instrument (it is saved under an id of its own; the shipped ones keep the guide's wording) or write your own. The format is described in docs/instrument-format.md.
      </p>
      {own.length > 0 ? (
        <ul className="plain">
          {own.map((i) => (
            <li key={i.id} data-instrument={i.id}>
              <strong>{i.title}</strong> <span className="code code-sm">{i.id}</span> · {i.items} items
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None yet.</p>
      )}
      {canEdit && (
        <form onSubmit={save}>
          <Field id="instrument-from" label="Start from">
            {(f) => (
              <select {...f} value={from} onChange={(e) => void start(e.target.value)}>
                <option value="">Choose an instrument</option>
                {instruments.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.title} ({i.origin === "district" ? "yours" : "shipped"})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="instrument-json" label="Instrument document (JSON)">
            {(f) => <textarea {...f} className="code-area" rows={14} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
          {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
          {problems.length > 0 && (
            <ul className="field-errors" role="alert">
              {problems.map((p) => (
                <li key={p.field + p.message}>
                  <span className="code code-sm">{p.field}</span>: {p.message}
                </li>
              ))}
            </ul>
          )}
          <button type="submit" className="btn btn-secondary" disabled={!text.trim()}>
            Save instrument
          </button>
        </form>
      )}
    </div>
  );
}
