// Readiness rounds for leaders (issue #15): make a team of staff, open a
// round of an instrument for it (the District Readiness Self-Assessment by
// default), follow how many answered, close it and read the results.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { api, enc } from "../lib/api";
import { useMe } from "../lib/auth";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate, todayIso } from "../lib/format";
import { Link } from "../lib/router";
import { fieldErrors, type InstrumentSummary, type Round, type StaffMember, type Team } from "../lib/toolkit";
import { Empty, ErrorNotice, Field, LiveMessage, PageHeader, Spinner } from "../components/ui";
import "../components/toolkit/toolkit.css";
import { InstrumentEditor } from "../components/toolkit/InstrumentEditor";

export function ReadinessPage() {
  useDocumentTitle("Readiness");
  const me = useMe();
  const district = me.district?.id ?? null;
  const base = district ? `/api/v1/districts/${enc(district)}` : null;
  const instruments = useApi<InstrumentSummary[]>(base && `${base}/instruments`);
  const teams = useApi<Team[]>(base && `${base}/teams`);
  const rounds = useApi<Round[]>(base && `${base}/rounds`);
  const [message, setMessage] = useState<string>("");

  if (!base) return <Empty title="No district">Your account belongs to no district.</Empty>;
  return (
    <div className="page toolkit-page">
      <PageHeader
        title="Readiness"
        subtitle="Ask a team the same questions each term: everyone answers on their own, and you see where the team stands per domain, where it disagrees, and what moved since last time."
      />
      <LiveMessage message={message} onDismiss={() => setMessage("")} />
      <div className="card">
        <h2 className="section-title">Rounds</h2>
        {rounds.error !== undefined && <ErrorNotice error={rounds.error} onRetry={rounds.reload} />}
        {rounds.loading && !rounds.data && <Spinner label="Loading rounds…" />}
        {rounds.data && rounds.data.length === 0 && <p className="muted">No rounds yet: open one below.</p>}
        {rounds.data && rounds.data.length > 0 && (
          <RoundsTable
            rounds={rounds.data}
            onClosed={(r) => {
              setMessage(`${r.label} is closed.`);
              void rounds.reload();
            }}
          />
        )}
      </div>
      <div className="card">
        <h2 className="section-title">Open a round</h2>
        {instruments.data && teams.data ? (
          <OpenRoundForm
            base={base}
            instruments={instruments.data.filter((i) => i.rounds)}
            teams={teams.data}
            onOpened={(r) => {
              setMessage(`${r.label} is open: ${r.members} members can answer until ${formatDate(r.due)}.`);
              void rounds.reload();
            }}
          />
        ) : (
          <Spinner label="Loading instruments and teams…" />
        )}
      </div>
      {instruments.data && (
        <InstrumentEditor base={base} district={district ?? ""} instruments={instruments.data} canEdit={me.role === "district_leader" || me.role === "admin"} onSaved={() => void instruments.reload()} />
      )}
      <div className="card">
        <h2 className="section-title">Make a team</h2>
        <TeamForm
          base={base}
          onMade={(t) => {
            setMessage(`Team ${t.name} made with ${t.members.length} members.`);
            void teams.reload();
          }}
        />
        {teams.data && teams.data.length > 0 && (
          <>
            <h3 className="section-title">Your teams</h3>
            <ul className="plain">
              {teams.data.map((t) => (
                <li key={t.id}>
                  <strong>{t.name}</strong>
                  {t.school ? ` (${t.school.name})` : ""}: {t.members.map((m) => m.name).join(", ")}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

function RoundsTable({ rounds, onClosed }: { rounds: Round[]; onClosed: (r: Round) => void }) {
  const [busy, setBusy] = useState<string>("");
  const [error, setError] = useState<unknown>(undefined);
  const close = async (round: Round) => {
    setBusy(round.id);
    setError(undefined);
    try {
      onClosed(await api.post<Round>(`/api/v1/rounds/${enc(round.id)}/close`));
    } catch (e) {
      setError(e);
    } finally {
      setBusy("");
    }
  };
  return (
    <>
      {error !== undefined && <ErrorNotice error={error} />}
      <div className="table-scroll">
        <table className="table rounds-table">
          <caption className="sr-only">Rounds of your teams, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Round</th>
              <th scope="col">Instrument</th>
              <th scope="col">Team</th>
              <th scope="col">Due</th>
              <th scope="col">Answered</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rounds.map((r) => (
              <tr key={r.id} data-round={r.id}>
                <th scope="row">
                  <Link to={`/readiness/rounds/${enc(r.id)}`}>{r.label}</Link>
                </th>
                <td>{r.instrument.title}</td>
                <td>{r.team.name}</td>
                <td>{formatDate(r.due)}</td>
                <td>
                  {r.responses ?? 0} of {r.members}
                </td>
                <td>
                  {r.status === "closed" ? "Closed" : r.accepting ? "Open" : "Past due"}
                  {r.anonymous ? " · anonymous" : " · named"}
                </td>
                <td>
                  {r.status === "open" && (
                    <button type="button" className="btn btn-secondary btn-sm" disabled={busy === r.id} onClick={() => void close(r)}>
                      Close {r.label}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function OpenRoundForm({ base, instruments, teams, onOpened }: { base: string; instruments: InstrumentSummary[]; teams: Team[]; onOpened: (r: Round) => void }) {
  const readiness = instruments.find((i) => i.id === "readiness-s1-4") ?? instruments[0];
  const [instrument, setInstrument] = useState<string>(readiness?.id ?? "");
  const [team, setTeam] = useState<string>(teams[0]?.id ?? "");
  const [due, setDue] = useState<string>("");
  const [label, setLabel] = useState<string>("");
  const chosen = useMemo(() => instruments.find((i) => i.id === instrument), [instruments, instrument]);
  const [anonymous, setAnonymous] = useState<boolean>(chosen?.anonymous ?? true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => setAnonymous(chosen?.anonymous ?? true), [chosen]);
  useEffect(() => {
    if (!team && teams[0]) setTeam(teams[0].id);
  }, [teams, team]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      const round = await api.post<Round>(`${base}/rounds`, { instrument, team, due, label: label || null, anonymous });
      setLabel("");
      onOpened(round);
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (teams.length === 0) return <p className="muted">Make a team first (below).</p>;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      {error !== undefined && <ErrorNotice error={error} />}
      <div className="form-grid">
        <Field label="Instrument" error={errors.instrument}>
          {(p) => (
            <select {...p} value={instrument} onChange={(e) => setInstrument(e.target.value)}>
              {instruments.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.title}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Team" error={errors.team}>
          {(p) => (
            <select {...p} value={team} onChange={(e) => setTeam(e.target.value)}>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.members.length})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Due" error={errors.due} hint="Members answer and revise until this day.">
          {(p) => <input {...p} type="date" min={todayIso()} value={due} onChange={(e) => setDue(e.target.value)} required />}
        </Field>
        <Field label="Label" error={errors.label} hint="For example “Autumn 2026”.">
          {(p) => <input {...p} type="text" maxLength={120} value={label} onChange={(e) => setLabel(e.target.value)} />}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
        Anonymous: nobody, you included, sees who answered what
      </label>
      {errors.anonymous && <p className="field-error">{errors.anonymous}</p>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Open the round
        </button>
      </div>
    </form>
  );
}

function TeamForm({ base, onMade }: { base: string; onMade: (t: Team) => void }) {
  const staff = useApi<StaffMember[]>(`${base}/staff`);
  const [name, setName] = useState("");
  const [members, setMembers] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const toggle = (id: string, on: boolean) => setMembers((old) => (on ? [...old, id] : old.filter((m) => m !== id)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    try {
      const team = await api.post<Team>(`${base}/teams`, { name, members });
      setName("");
      setMembers([]);
      onMade(team);
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      {error !== undefined && <ErrorNotice error={error} />}
      <Field label="Team name" error={errors.name}>
        {(p) => <input {...p} type="text" maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <fieldset className="fieldset" aria-describedby={errors.members ? "team-members-err" : undefined}>
        <legend>Members</legend>
        {staff.error !== undefined && <ErrorNotice error={staff.error} onRetry={staff.reload} />}
        {staff.loading && !staff.data && <Spinner label="Loading staff…" />}
        <div className="check-grid">
          {staff.data?.map((s) => (
            <label key={s.id} className="check">
              <input type="checkbox" value={s.id} checked={members.includes(s.id)} onChange={(e) => toggle(s.id, e.target.checked)} />
              {s.name} ({s.role.replace("_", " ")}
              {s.school ? `, ${s.school}` : ""})
            </label>
          ))}
        </div>
        {errors.members && (
          <p className="field-error" id="team-members-err">
            {errors.members}
          </p>
        )}
      </fieldset>
      <div className="form-actions">
        <span className="muted small">{members.length} chosen</span>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Make the team
        </button>
      </div>
    </form>
  );
}
