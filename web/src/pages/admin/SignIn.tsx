import { useState, type FormEvent } from "react";
import { api, ApiError, errorMessage, fieldMessage } from "../../lib/api";
import { useApi, useDocumentTitle } from "../../lib/hooks";
import { ROLE_LABELS } from "../../lib/format";
import type { Role } from "../../lib/types";
import { ErrorNotice, Field, LiveMessage, PageHeader, Spinner } from "../../components/ui";

interface RoleCount {
  role: Role;
  enabled: boolean;
  people: number;
  with_account: number;
  invited: number;
}
interface SignInState {
  policy: { roles: Role[]; methods?: string[] };
  roles: RoleCount[];
}
interface InvitationRow {
  id: number;
  person: string;
  name: string;
  role: Role;
  created_at: string;
  expires_at: string;
  status: "open" | "used" | "revoked" | "expired";
}
interface CreatedLink {
  invitation: number;
  person: string;
  name: string;
  role: Role;
  email: string;
  url: string;
  expires_at: string;
}
interface InviteResult {
  created: CreatedLink[];
  already_signed_up: number;
  already_invited: number;
  inactive: number;
}

const INVITABLE: Role[] = ["teacher", "school_leader", "district_leader", "student", "guardian"];

// A spreadsheet must not run what a name says (=HYPERLINK...): such cells start with a quote.
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? "'" + text : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function downloadLinks(links: CreatedLink[]) {
  const rows = [["person", "name", "role", "email", "link", "expires_at"], ...links.map((l) => [l.person, l.name, l.role, l.email, l.url, l.expires_at])];
  const blob = new Blob([rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n"], { type: "text/csv" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "cairn-invitations.csv";
  a.click();
  URL.revokeObjectURL(a.href);
}

export function SignInPage() {
  useDocumentTitle("Sign-in and invitations");
  const state = useApi<SignInState>("/api/v1/sign-in");
  const invitations = useApi<{ invitations: InvitationRow[] }>("/api/v1/invitations");
  const [message, setMessage] = useState<string | null>(null);
  const [result, setResult] = useState<InviteResult | null>(null);

  async function setOpen(role: Role, open: boolean) {
    if (!state.data) return;
    const roles = state.data.roles.filter((r) => (r.role === role ? open : r.enabled)).map((r) => r.role);
    try {
      await api.put("/api/v1/sign-in", { roles, methods: ["password"] });
      setMessage(open ? `${ROLE_LABELS[role]} accounts can sign in now.` : `Sign-in is closed for ${ROLE_LABELS[role]} accounts; their sessions have ended.`);
      await state.reload();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  }

  async function revoke(row: InvitationRow) {
    try {
      await api.del(`/api/v1/invitations/${row.id}`);
      setMessage(`The link for ${row.name} no longer works.`);
      await Promise.all([invitations.reload(), state.reload()]);
    } catch (e) {
      setMessage(errorMessage(e));
    }
  }

  return (
    <div className="page">
      <PageHeader
        title="Sign-in and invitations"
        subtitle="People imported from your student information system sign in once you open sign-in for their role and send them an invitation link. Each link works once and expires."
      />
      {message && <LiveMessage message={message} onDismiss={() => setMessage(null)} />}
      <section className="card flush" aria-labelledby="roles-title">
        <div className="card-head">
          <h2 id="roles-title" className="section-title inline">
            Who can sign in
          </h2>
        </div>
        {state.error !== undefined && <ErrorNotice error={state.error} onRetry={state.reload} />}
        {state.loading && !state.data && <Spinner />}
        {state.data && (
          <div className="table-scroll">
            <table className="table" id="sign-in-roles">
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">People</th>
                  <th scope="col">With a sign-in</th>
                  <th scope="col">Invited</th>
                  <th scope="col">Sign-in open</th>
                </tr>
              </thead>
              <tbody>
                {state.data.roles.map((r) => (
                  <tr key={r.role} data-role={r.role}>
                    <th scope="row">{ROLE_LABELS[r.role]}</th>
                    <td>{r.people}</td>
                    <td>{r.with_account}</td>
                    <td>{r.invited}</td>
                    <td>
                      <label className="checkbox">
                        <input type="checkbox" checked={r.enabled} onChange={(e) => void setOpen(r.role, e.target.checked)} aria-label={`Sign-in open for ${ROLE_LABELS[r.role]}`} />
                        {r.enabled ? "Open" : "Closed"}
                      </label>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <InviteForm
        openRoles={(state.data?.roles ?? []).filter((r) => r.enabled).map((r) => r.role)}
        onInvited={async (r) => {
          setResult(r);
          await Promise.all([invitations.reload(), state.reload()]);
        }}
      />
      {result && (
        <section className="card" aria-labelledby="links-title" id="invitation-links">
          <h2 id="links-title" className="section-title inline">
            New links <span className="count">{result.created.length}</span>
          </h2>
          <p className="small muted">
            These links are shown only now. Download them to send by email or your messaging system.
            {result.already_signed_up > 0 && ` ${result.already_signed_up} already had a sign-in.`}
            {result.already_invited > 0 && ` ${result.already_invited} already had an open link.`}
            {result.inactive > 0 && ` ${result.inactive} are no longer on the roster.`}
          </p>
          {result.created.length > 0 && (
            <>
              <button type="button" className="btn btn-secondary" onClick={() => downloadLinks(result.created)}>
                Download links (CSV)
              </button>
              <ul className="plain-list">
                {result.created.slice(0, 50).map((l) => (
                  <li key={l.invitation} data-person={l.person}>
                    <strong>{l.name}</strong> <span className="muted small">{l.email}</span>
                    <input className="mono small block" readOnly value={l.url} aria-label={`Invitation link for ${l.name}`} onFocus={(e) => e.currentTarget.select()} />
                  </li>
                ))}
              </ul>
              {result.created.length > 50 && <p className="small muted">And {result.created.length - 50} more in the CSV.</p>}
            </>
          )}
        </section>
      )}
      <section className="card flush" aria-labelledby="invitations-title">
        <div className="card-head">
          <h2 id="invitations-title" className="section-title inline">
            Invitations <span className="count">{invitations.data?.invitations.length ?? ""}</span>
          </h2>
        </div>
        {invitations.error !== undefined && <ErrorNotice error={invitations.error} onRetry={invitations.reload} />}
        {invitations.data && (
          <div className="table-scroll">
            <table className="table" id="invitations-table">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Role</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...invitations.data.invitations].reverse().slice(0, 200).map((i) => (
                  <tr key={i.id}>
                    <th scope="row">
                      {i.name} <span className="muted small block">{i.person}</span>
                    </th>
                    <td>{ROLE_LABELS[i.role] ?? i.role}</td>
                    <td>{i.expires_at.slice(0, 10)}</td>
                    <td>{i.status}</td>
                    <td className="actions">
                      {i.status === "open" && (
                        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void revoke(i)} aria-label={`Revoke the invitation of ${i.name}`}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function InviteForm({ openRoles, onInvited }: { openRoles: Role[]; onInvited: (r: InviteResult) => Promise<void> }) {
  const [role, setRole] = useState<Role>("teacher");
  const [school, setSchool] = useState("");
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { role };
      if (school.trim()) body.school = school.trim();
      await onInvited(await api.post<InviteResult>("/api/v1/invitations", body));
    } catch (err) {
      setError(err instanceof ApiError ? { field: err.field, message: fieldMessage(err) } : { message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title" className="section-title inline">
        Invite a role
      </h2>
      <p className="small muted">Everyone with this role who has no sign-in and no open link gets one. Open sign-in for the role first.</p>
      {error && !error.field && (
        <div className="notice notice-error" role="alert">
          <p>{error.message}</p>
        </div>
      )}
      <form onSubmit={submit} noValidate className="form-row">
        <Field id="invite-role" label="Role" error={error?.field === "role" ? error.message : null}>
          {(f) => (
            <select {...f} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {INVITABLE.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                  {openRoles.includes(r) ? "" : " (sign-in closed)"}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="invite-school" label="School (roster id, optional)" error={error?.field === "school" ? error.message : null}>
          {(f) => <input {...f} value={school} onChange={(e) => setSchool(e.target.value)} spellCheck={false} autoComplete="off" />}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Inviting…" : "Create invitation links"}
        </button>
      </form>
    </section>
  );
}
