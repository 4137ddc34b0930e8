import { useId, useRef, useState } from "react";
import { api, enc, errorMessage } from "../lib/api";
import { useMe } from "../lib/auth";
import { shareUrl, type CredentialList, type CredentialSummary } from "../lib/credentials";
import { formatDate, plural } from "../lib/format";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { Link } from "../lib/router";
import type { StudentInfo } from "../lib/types";
import { Empty, ErrorNotice, PageHeader, Spinner } from "../components/ui";
import "../credentials.css";

/**
 * A student's verifiable credentials: one per earned badge, with its baked
 * image, status, downloads and (for the student) a public link to share.
 * Guardians and staff see the same page read-only.
 */
export function CredentialsPage({ studentId }: { studentId: string }) {
  const me = useMe();
  const self = me.role === "student";
  const id = enc(studentId);
  const list = useApi<CredentialList>(`/api/v1/students/${id}/credentials`);
  const info = useApi<StudentInfo>(self ? null : `/api/v1/students/${id}`);
  const name = self ? me.name : info.data?.name ?? "";
  const firstName = name.split(" ")[0];
  useDocumentTitle(self ? "My credentials" : name ? `${name}'s credentials` : "Credentials");

  const studentPath = `/students/${id}`;
  const crumbs = self
    ? [{ to: "/me", label: "My learning" }]
    : me.role === "guardian"
      ? [
          { to: "/children", label: "My children" },
          { to: studentPath, label: name || "Student" },
        ]
      : [
          { to: "/sections", label: me.role === "teacher" ? "My sections" : "Sections" },
          { to: studentPath, label: name || "Student" },
        ];

  const credentials = list.data?.credentials ?? [];
  const update = (next: CredentialSummary) =>
    list.setData((old) => (old ? { ...old, credentials: old.credentials.map((c) => (c.uuid === next.uuid ? next : c)) } : old));

  return (
    <div className="page">
      <PageHeader
        crumbs={crumbs}
        title={self ? "My credentials" : name ? `${name}'s credentials` : "Credentials"}
        subtitle={
          self
            ? "A signed digital credential for each badge you have earned. Download them, or share a link that anyone can check, no account needed."
            : `The signed digital credentials for the badges ${firstName || "this student"} has earned.${me.role === "guardian" ? " Only your child can share them." : ""}`
        }
        actions={
          list.data && credentials.length > 0 ? (
            <a className="btn btn-secondary" href={list.data.clr} download>
              <DownloadIcon />
              CLR transcript
              <span className="sr-only"> (all credentials in one file, JSON)</span>
            </a>
          ) : undefined
        }
      />
      {list.error !== undefined && <ErrorNotice error={list.error} title="The credentials could not be loaded" onRetry={list.reload} />}
      {list.loading && !list.data && <Spinner label="Loading credentials…" />}
      {list.data && credentials.length === 0 && (
        <Empty title="No credentials yet">
          {self ? "When a teacher confirms a badge you have earned, its credential appears here." : "When a teacher confirms a badge, its credential appears here."}
        </Empty>
      )}
      {credentials.length > 0 && (
        <>
          <p className="cred-count muted">
            {plural(credentials.length, "credential")} · <Link to="/verify">How anyone can check a credential</Link>
          </p>
          <ul className="cred-list" aria-label={self ? "My credentials" : "Credentials"}>
            {credentials.map((c) => (
              <li key={c.uuid}>
                <CredentialCard credential={c} canShare={self} onChange={update} />
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function CredentialCard({ credential: c, canShare, onChange }: { credential: CredentialSummary; canShare: boolean; onChange: (c: CredentialSummary) => void }) {
  const headingId = useId();
  const revoked = c.status === "revoked";
  // The title may already start with the badge's code ("M101 Linear equations").
  const title = c.title.startsWith(c.badge + " ") ? c.title.slice(c.badge.length + 1) : c.title;
  return (
    <article className={`card cred-card${revoked ? " cred-revoked" : ""}`} aria-labelledby={headingId} data-uuid={c.uuid}>
      <div className="cred-image">
        <img src={c.links.svg} alt="" width={112} height={112} loading="lazy" />
      </div>
      <div className="cred-body">
        <div className="cred-head">
          <h2 id={headingId}>
            <span className="code">{c.badge}</span> {title}
          </h2>
          <CredentialStatusChip status={c.status} />
        </div>
        <p className="small muted">Issued {formatDate(c.issued_at)}</p>
        {revoked && (
          <p className="cred-withdrawn">
            The school withdrew this credential{c.revocation_reason ? `: ${c.revocation_reason}` : "."}
            {c.revocation_reason && !/[.!?]$/.test(c.revocation_reason) ? "." : ""} It no longer shows as valid when checked.
          </p>
        )}
        <div className="cred-downloads" role="group" aria-label={`Download ${c.badge} ${title}`}>
          <span className="cred-label" aria-hidden="true">
            Download
          </span>
          <DownloadLink href={c.links.png} label="Baked PNG" detail="badge image with the credential inside" />
          <DownloadLink href={c.links.svg} label="SVG" detail="badge image with the credential inside" />
          <DownloadLink href={c.links.json} label="JSON" detail="Open Badges 3.0 credential" />
          <DownloadLink href={c.links.jwt} label="JWT" detail="the credential as a VC-JWT" />
        </div>
        <ShareControl credential={c} canShare={canShare} onChange={onChange} />
      </div>
    </article>
  );
}

function DownloadLink({ href, label, detail }: { href: string; label: string; detail: string }) {
  return (
    <a className="btn btn-secondary btn-sm" href={href} download title={`Download: ${detail}`}>
      <DownloadIcon />
      {label}
      <span className="sr-only"> ({detail})</span>
    </a>
  );
}

function ShareControl({ credential: c, canShare, onChange }: { credential: CredentialSummary; canShare: boolean; onChange: (c: CredentialSummary) => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const labelId = useId();
  const url = shareUrl(c.uuid);

  async function toggle() {
    setBusy(true);
    setMessage(null);
    try {
      const next = !c.public;
      const answer = await api.post<Partial<CredentialSummary> | undefined>(`/api/v1/credentials/${enc(c.uuid)}/share`, { public: next });
      onChange({ ...c, ...(answer && typeof answer === "object" && "uuid" in answer ? answer : {}), public: answer?.public ?? next });
      setMessage({ text: next ? "Public link turned on. Anyone with the link can check this credential." : "Public link turned off. The link no longer works.", tone: "ok" });
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setMessage({ text: "Link copied.", tone: "ok" });
    } catch {
      inputRef.current?.select();
      setMessage({ text: "Select the link and copy it (Ctrl+C or ⌘C).", tone: "ok" });
    }
  }

  if (!canShare) {
    return (
      <p className="small muted cred-share-note">
        {c.public ? (
          <>
            Shared publicly: <a href={url}>{url}</a>
          </>
        ) : (
          "Not shared publicly."
        )}
      </p>
    );
  }
  const revokedAndPrivate = c.status === "revoked" && !c.public;
  return (
    <div className="cred-share">
      <div className="cred-share-row">
        <button
          type="button"
          role="switch"
          aria-checked={c.public}
          aria-labelledby={labelId}
          className="switch"
          disabled={busy || revokedAndPrivate}
          onClick={toggle}
        >
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
        </button>
        <span id={labelId} className="cred-share-label">
          Public link<span className="sr-only"> for {c.title}</span>
        </span>
        <span className="small muted">{c.public ? "On: anyone with the link can check it" : revokedAndPrivate ? "Off: withdrawn credentials cannot be shared" : "Off"}</span>
      </div>
      {c.public && (
        <div className="cred-link-row">
          <label className="sr-only" htmlFor={`link-${c.uuid}`}>
            Public link for {c.title}
          </label>
          <input id={`link-${c.uuid}`} ref={inputRef} className="cred-link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="btn btn-secondary btn-sm" onClick={copy}>
            <CopyIcon />
            Copy link<span className="sr-only"> for {c.title}</span>
          </button>
        </div>
      )}
      <div role="status" className={`cred-message${message?.tone === "error" ? " is-error" : ""}`}>
        {message?.text}
      </div>
    </div>
  );
}

export function CredentialStatusChip({ status }: { status: "valid" | "revoked" }) {
  return status === "valid" ? (
    <span className="state-chip cred-chip cred-chip-valid">
      <CheckIcon />
      <span>Valid</span>
    </span>
  ) : (
    <span className="state-chip cred-chip cred-chip-revoked">
      <PauseIcon />
      <span>Withdrawn</span>
    </span>
  );
}

function DownloadIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M8 2v8m0 0l-3.2-3.2M8 10l3.2-3.2M3 13h10" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function CopyIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="5" y="5" width="8.5" height="8.5" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M10.5 3.2V3a1 1 0 0 0-1-1H3.5a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h.3" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

export function CheckIcon({ size = 14 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="7.5" fill="currentColor" />
      <path d="M4.5 8.3l2.3 2.3 4.7-5" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function PauseIcon({ size = 14 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.7" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M6.3 5.3v5.4M9.7 5.3v5.4" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

export function CrossIcon({ size = 14 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="7.5" fill="currentColor" />
      <path d="M5.4 5.4l5.2 5.2M10.6 5.4l-5.2 5.2" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}
