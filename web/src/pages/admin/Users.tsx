import { useMemo, useState, type FormEvent } from "react";
import { api, ApiError, errorMessage, fieldMessage } from "../../lib/api";
import { useApi, useDocumentTitle } from "../../lib/hooks";
import { useAuth } from "../../lib/auth";
import { ROLE_LABELS } from "../../lib/format";
import type { Account, Role } from "../../lib/types";
import { Dialog, ErrorNotice, Field, LiveMessage, PageHeader, Spinner } from "../../components/ui";

type CreateField = "person" | "username" | "password";

const STAFF_ROLES: Role[] = ["teacher", "school_leader", "district_leader", "admin"];

export function UsersPage() {
  useDocumentTitle("Users");
  const { data, error, loading, reload } = useApi<Account[]>("/api/v1/users");
  const [filter, setFilter] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [resetting, setResetting] = useState<Account | null>(null);
  const { me } = useAuth();

  // Staff move between staff roles; students and guardians keep the roster's.
  async function changeRole(account: Account, role: Role) {
    try {
      await api.put(`/api/v1/users/${account.id}/role`, { role });
      setMessage(`${account.person?.name ?? account.username} is now ${ROLE_LABELS[role]}.`);
      await reload();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  }

  const list = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (data ?? []).filter((a) => !q || [a.username, a.person?.name ?? "", a.person?.id ?? "", a.person?.role ?? ""].some((t) => t.toLowerCase().includes(q)));
  }, [data, filter]);

  return (
    <div className="page">
      <PageHeader title="Users" subtitle="Sign-in accounts for people on the roster. Passwords are stored as argon2id hashes and never shown." />
      {message && <LiveMessage message={message} onDismiss={() => setMessage(null)} />}
      <div className="users-layout">
        <section className="card flush" aria-labelledby="accounts-title">
          <div className="card-head">
            <h2 id="accounts-title" className="section-title inline">
              Accounts <span className="count">{data?.length ?? ""}</span>
            </h2>
            <div className="field field-inline">
              <label htmlFor="user-filter" className="sr-only">
                Filter accounts
              </label>
              <input id="user-filter" type="search" placeholder="Filter by name, username or role" value={filter} onChange={(e) => setFilter(e.target.value)} />
            </div>
          </div>
          {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
          {loading && !data && <Spinner />}
          {data && (
            <div className="table-scroll">
              <table className="table" id="accounts-table">
                <thead>
                  <tr>
                    <th scope="col">Username</th>
                    <th scope="col">Person</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((a) => (
                    <tr key={a.id} data-username={a.username}>
                      <th scope="row" className="mono">
                        {a.username}
                      </th>
                      <td>
                        {a.person?.name}
                        <span className="muted small block">{a.person?.id}</span>
                      </td>
                      <td>
                        {a.person && STAFF_ROLES.includes(a.person.role) && a.person.id !== me?.id ? (
                          <select
                            aria-label={`Role of ${a.username}`}
                            value={a.person.role}
                            onChange={(e) => void changeRole(a, e.target.value as Role)}
                          >
                            {STAFF_ROLES.map((r) => (
                              <option key={r} value={r}>
                                {ROLE_LABELS[r]}
                              </option>
                            ))}
                          </select>
                        ) : a.person ? (
                          ROLE_LABELS[a.person.role]
                        ) : (
                          ""
                        )}
                      </td>
                      <td>{a.disabled ? <span className="pill">Disabled</span> : <span className="pill pill-done">Active</span>}</td>
                      <td className="actions">
                        <button type="button" className="btn btn-secondary btn-sm" onClick={() => setResetting(a)} aria-label={`Reset password for ${a.username}`}>
                          Reset password
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <CreateUser
          onCreated={async (username) => {
            setMessage(`Account ${username} created. They can sign in now.`);
            await reload();
          }}
        />
      </div>
      <Dialog open={resetting !== null} title={resetting ? `Reset password for ${resetting.username}` : ""} onClose={() => setResetting(null)} description={<p className="small muted">The account is signed out everywhere. Tell the person their new password in person or through your school's usual channel.</p>}>
        {resetting && (
          <ResetPassword
            account={resetting}
            onDone={() => {
              setMessage(`Password for ${resetting.username} was reset, and the account was signed out everywhere.`);
              setResetting(null);
            }}
            onCancel={() => setResetting(null)}
          />
        )}
      </Dialog>
    </div>
  );
}

function CreateUser({ onCreated }: { onCreated: (username: string) => Promise<void> }) {
  const [person, setPerson] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Partial<Record<CreateField, string>>>({});
  const [formError, setFormError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Partial<Record<CreateField, string>> = {};
    if (!person.trim()) local.person = "Enter the roster id of the person, e.g. guardian-00002.";
    if (!username.trim()) local.username = "Choose a username.";
    if (password.length < 10) local.password = "Use at least 10 characters.";
    setErrors(local);
    setFormError("");
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await api.post("/api/v1/users", { person: person.trim(), username: username.trim(), password });
      const name = username.trim();
      setPerson("");
      setUsername("");
      setPassword("");
      await onCreated(name);
    } catch (err) {
      if (err instanceof ApiError && (err.field === "person" || err.field === "username" || err.field === "password")) setErrors({ [err.field]: fieldMessage(err) });
      else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="create-title">
      <h2 id="create-title" className="section-title inline">
        Create an account
      </h2>
      <p className="small muted">For a person already on the roster: a student, guardian, teacher or leader.</p>
      {formError && (
        <div className="notice notice-error" role="alert">
          <p>{formError}</p>
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <Field label="Person (roster id)" error={errors.person} hint="For example guardian-00002 or teacher-004.">
          {(p) => <input {...p} value={person} onChange={(e) => setPerson(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="Username" error={errors.username}>
          {(p) => <input {...p} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" spellCheck={false} autoCapitalize="none" />}
        </Field>
        <Field label="Password" error={errors.password} hint="At least 10 characters.">
          {(p) => <input {...p} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </form>
    </section>
  );
}

function ResetPassword({ account, onDone, onCancel }: { account: Account; onDone: () => void; onCancel: () => void }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password.length < 10) {
      setError("Use at least 10 characters.");
      return;
    }
    setBusy(true);
    try {
      await api.post(`/api/v1/users/${account.id}/password`, { password });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? fieldMessage(err) : errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} noValidate>
      <Field label="New password" error={error} hint="At least 10 characters.">
        {(p) => <input {...p} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" data-autofocus="" />}
      </Field>
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Set new password"}
        </button>
      </div>
    </form>
  );
}
