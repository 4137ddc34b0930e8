import { useState, type FormEvent } from "react";
import { useMe } from "../lib/auth";
import { api, ApiError, errorMessage } from "../lib/api";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { Link } from "../lib/router";
import { planBase, type Observation, type ObservationList } from "../lib/plan";
import { Empty, ErrorNotice, Field, LiveMessage, PageHeader, Spinner } from "../components/ui";

const PRIVACY =
  "Observations are staff evaluation data: each is shown only to its observer, the observed teacher and the district's leaders, and every look is recorded in the audit log.";

// Classroom observations the signed-in person may see, and (leaders) a form
// to record one against a protocol from the district's Template 3.2 tracker.
export function ObservationsPage() {
  useDocumentTitle("Classroom observations");
  const me = useMe();
  const district = me.district?.id;
  const { data, error, loading, reload } = useApi<ObservationList>(district ? `${planBase(district)}/observations` : null);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="page">
      <PageHeader title="Classroom observations" subtitle={PRIVACY} />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading observations…" />}
      <LiveMessage message={message} onDismiss={() => setMessage(null)} />
      {data && district && data.can_record && (
        <ObservationForm
          list={data}
          district={district}
          onSaved={(o) => {
            setMessage(`Recorded the observation of ${o.teacher?.name ?? "the teacher"}.`);
            reload();
          }}
        />
      )}
      {data && data.observations.length === 0 && <Empty title="No observations to show">None you made or of you, yet.</Empty>}
      {data && data.observations.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <caption className="sr-only">Observations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Teacher</th>
                <th scope="col">Observer</th>
                <th scope="col">Protocol</th>
                <th scope="col">Look-fors</th>
              </tr>
            </thead>
            <tbody>
              {data.observations.map((o) => (
                <tr key={o.id} data-observation={o.id}>
                  <th scope="row">
                    <Link to={`/observations/${encodeURIComponent(o.id)}`}>{formatDate(o.date)}</Link>
                  </th>
                  <td>{o.teacher?.name ?? "—"}</td>
                  <td>{o.observer?.name ?? "—"}</td>
                  <td>{o.protocol_name ?? "—"}</td>
                  <td>{o.look_fors_recorded}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

type Seen = "seen" | "partly" | "not seen" | "";

function ObservationForm({ list, district, onSaved }: { list: ObservationList; district: string; onSaved: (o: Observation) => void }) {
  const today = new Date().toISOString().slice(0, 10);
  const [teacher, setTeacher] = useState("");
  const [protocol, setProtocol] = useState("");
  const [date, setDate] = useState(today);
  const [notes, setNotes] = useState("");
  const [seen, setSeen] = useState<Record<string, Seen>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lookFors = list.protocols.find((p) => p.id === protocol)?.look_fors ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const look_fors = lookFors.filter((l) => seen[l]).map((l) => ({ look_for: l, seen: seen[l], note: "" }));
      const saved = await api.post<Observation>(`${planBase(district)}/observations`, { teacher, protocol: protocol || null, date, notes, look_fors });
      setNotes("");
      setSeen({});
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        const byField: Record<string, string> = {};
        for (const p of err.errors) byField[p.field.startsWith("look_fors") ? "look_fors" : p.field] = p.message;
        setErrors(byField);
        setFailure("Check the fields marked below.");
      } else setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-grid" onSubmit={submit} aria-labelledby="obs-form-title" noValidate>
      <h2 id="obs-form-title">Record an observation</h2>
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      <Field label="Teacher observed" error={errors.teacher}>
        {(props) => (
          <select {...props} value={teacher} onChange={(e) => setTeacher(e.target.value)}>
            <option value="">Choose a teacher</option>
            {list.teachers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Protocol" error={errors.protocol} hint={list.protocols.length === 0 ? <>Add protocols in the <Link to="/plan/observation-protocol-3-2">observation protocols tracker</Link>.</> : undefined}>
        {(props) => (
          <select {...props} value={protocol} onChange={(e) => setProtocol(e.target.value)}>
            <option value="">No protocol</option>
            {list.protocols.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Date" error={errors.date}>
        {(props) => <input {...props} type="date" value={date} max={today} onChange={(e) => setDate(e.target.value)} />}
      </Field>
      {lookFors.length > 0 && (
        <fieldset className="fieldset">
          <legend>Look-fors</legend>
          {errors.look_fors && <p className="field-error">{errors.look_fors}</p>}
          {lookFors.map((l, i) => (
            <Field key={l} label={l} id={`lookfor-${i}`}>
              {(props) => (
                <select {...props} value={seen[l] ?? ""} onChange={(e) => setSeen((s) => ({ ...s, [l]: e.target.value as Seen }))}>
                  <option value="">Not recorded</option>
                  <option value="seen">Seen</option>
                  <option value="partly">Partly</option>
                  <option value="not seen">Not seen</option>
                </select>
              )}
            </Field>
          ))}
        </fieldset>
      )}
      <Field label="Notes" error={errors.notes}>
        {(props) => <textarea {...props} rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Record observation
        </button>
      </div>
    </form>
  );
}

export function ObservationPage({ id }: { id: string }) {
  useDocumentTitle("Observation");
  const { data, error, loading, reload } = useApi<Observation>(`/api/v1/observations/${encodeURIComponent(id)}`);
  return (
    <div className="page">
      <PageHeader
        title={data ? `Observation of ${data.teacher?.name ?? "a teacher"}` : "Observation"}
        subtitle={PRIVACY}
        crumbs={[{ to: "/observations", label: "Classroom observations" }]}
      />
      {error !== undefined && <ErrorNotice error={error} title="This observation cannot be shown" onRetry={reload} />}
      {loading && !data && <Spinner label="Loading the observation…" />}
      {data && (
        <section className="card" aria-labelledby="obs-title">
          <h2 id="obs-title">
            {formatDate(data.date)} · observed by {data.observer?.name ?? "—"}
          </h2>
          {data.protocol_name && <p>Protocol: {data.protocol_name}</p>}
          {data.look_fors.length > 0 && (
            <ul>
              {data.look_fors.map((l) => (
                <li key={l.look_for}>
                  {l.look_for}: <strong>{l.seen}</strong>
                  {l.note ? ` (${l.note})` : ""}
                </li>
              ))}
            </ul>
          )}
          {data.notes && <p className="observation-notes">{data.notes}</p>}
        </section>
      )}
    </div>
  );
}
