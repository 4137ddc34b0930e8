import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent, type ReactNode } from "react";
import { useAuth } from "../lib/auth";
import {
  contentTypeFor,
  formatLabel,
  STATUS_TEXT,
  summaryOf,
  verifyBytes,
  type PublicCredential,
  type Verification,
  type VerificationStatus,
} from "../lib/credentials";
import { formatDate } from "../lib/format";
import { useDocumentTitle } from "../lib/hooks";
import { Link } from "../lib/router";
import { Spinner } from "../components/ui";
import { Frame } from "../components/Shell";
import { CheckIcon, CrossIcon, PauseIcon } from "./Credentials";
import "../credentials.css";

const MAX_BYTES = 8 * 1024 * 1024;

/**
 * The public verifier: works without signing in. /verify takes a baked badge
 * image, a JSON credential or a VC-JWT; /verify/{uuid} checks a credential
 * its earner chose to share.
 */
export function VerifyPage({ uuid }: { uuid?: string }) {
  useDocumentTitle("Verify a credential");
  return <PublicShell>{uuid ? <SharedCredential uuid={uuid} /> : <VerifyForm />}</PublicShell>;
}

function PublicShell({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const bar = (
    <>
      <span className="public-tag">Credential verifier</span>
      <div className="userbox">
        {status === "signed-in" ? (
          <a className="btn btn-ghost btn-sm" href="/">
            Back to Cairn
          </a>
        ) : (
          <a className="btn btn-ghost btn-sm" href="/login">
            Sign in
          </a>
        )}
      </div>
    </>
  );
  return (
    <Frame className="public-app" bar={bar} footer="Cairn checks Open Badges 3.0 and 2.0 credentials and CLR 2.0 transcripts. Nothing you check here is stored.">
      <div className="page page-narrow verify-page">{children}</div>
    </Frame>
  );
}

function SharedCredential({ uuid }: { uuid: string }) {
  const [state, setState] = useState<{ loading: boolean; data?: PublicCredential; error?: string }>({ loading: true });
  useEffect(() => {
    let live = true;
    setState({ loading: true });
    fetch(`/api/v1/public/credentials/${encodeURIComponent(uuid)}`, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(async (r) => {
        if (!live) return;
        if (r.status === 404) {
          setState({ loading: false, error: "This credential is not shared publicly. The link may be mistyped, or its earner may have turned sharing off." });
          return;
        }
        if (!r.ok) {
          setState({ loading: false, error: `The credential could not be loaded (the server answered ${r.status}). Try again in a moment.` });
          return;
        }
        setState({ loading: false, data: (await r.json()) as PublicCredential });
      })
      .catch(() => live && setState({ loading: false, error: "Cairn could not be reached. Check your connection and try again." }));
    return () => {
      live = false;
    };
  }, [uuid]);

  return (
    <>
      <div className="page-header">
        <h1>Shared credential</h1>
        <p className="page-subtitle">Cairn has checked this credential's signature and status just now.</p>
      </div>
      {state.loading && <Spinner label="Checking the credential…" />}
      {state.error && (
        <div className="notice notice-info" role="alert">
          <div className="notice-body">
            <strong>Nothing to show</strong>
            <p>{state.error}</p>
          </div>
        </div>
      )}
      {state.data && <VerificationReport verification={state.data.verification} scroll={false} />}
      <p className="verify-again">
        <Link to="/verify">Check another credential</Link>
      </p>
    </>
  );
}

function VerifyForm() {
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState("");
  const [dragging, setDragging] = useState(false);
  const [fileName, setFileName] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const textId = useId();
  const fileHint = useId();

  async function run(body: BodyInit, contentType: string) {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await verifyBytes(body, contentType));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function onFile(file: File | undefined) {
    if (!file) return;
    setFileName(file.name);
    if (file.size > MAX_BYTES) {
      setResult(null);
      setError("That file is too large to be a badge. Badge images are usually well under a megabyte.");
      return;
    }
    const bytes = await file.arrayBuffer();
    const head = new TextDecoder().decode(bytes.slice(0, 64));
    await run(bytes, contentTypeFor(file.name, file.type, head));
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    void onFile(e.dataTransfer.files?.[0]);
  }

  function onPaste(e: FormEvent) {
    e.preventDefault();
    const value = text.trim();
    if (!value) {
      setError("Paste a credential first: its JSON, or a JWT (three parts separated by dots).");
      return;
    }
    setFileName(null);
    void run(value, contentTypeFor("", "", value));
  }

  return (
    <>
      <div className="page-header">
        <h1>Verify a credential</h1>
        <p className="page-subtitle">
          Check a badge someone earned: who earned it, what it stands for, who issued it, and whether it is still valid. No account is needed.
        </p>
      </div>

      <section className="card verify-input" aria-label="Credential to check">
        <div
          className={`dropzone${dragging ? " is-dragging" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <svg className="dropzone-icon" width="36" height="36" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 15V4m0 0L7.5 8.5M12 4l4.5 4.5M4 15v3.5A1.5 1.5 0 0 0 5.5 20h13a1.5 1.5 0 0 0 1.5-1.5V15" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <label htmlFor="verify-file" className="dropzone-label">
            <span className="dropzone-title">Drop a badge image or credential file here</span>
            <span className="btn btn-secondary btn-sm">Choose a file</span>
          </label>
          <input
            ref={fileRef}
            id="verify-file"
            className="dropzone-input"
            type="file"
            accept=".png,.svg,.json,.jwt,.txt,image/png,image/svg+xml,application/json"
            aria-describedby={fileHint}
            disabled={busy}
            onChange={(e) => {
              void onFile(e.currentTarget.files?.[0]);
              e.currentTarget.value = "";
            }}
          />
          <p id={fileHint} className="small muted">
            A baked badge (PNG or SVG), a JSON credential or a JWT file.{fileName ? ` Last checked: ${fileName}` : ""}
          </p>
        </div>

        <form className="verify-paste" onSubmit={onPaste}>
          <label htmlFor={textId}>Or paste a credential (JSON or JWT)</label>
          <textarea
            id={textId}
            rows={5}
            spellCheck={false}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder='{"@context": [...], "type": ["VerifiableCredential", "OpenBadgeCredential"], ...}'
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Verify
            </button>
            {(result || error || text) && (
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => {
                  setText("");
                  setResult(null);
                  setError(null);
                  setFileName(null);
                  fileRef.current?.focus();
                }}
              >
                Clear
              </button>
            )}
          </div>
        </form>
      </section>

      <div aria-live="polite" className="verify-output">
        {busy && <Spinner label="Checking the credential…" />}
        {error && (
          <div className="notice notice-warn" role="alert">
            <strong>The credential could not be checked</strong>
            <p>{error}</p>
          </div>
        )}
      </div>
      {result && <VerificationReport verification={result} />}
    </>
  );
}

function StatusIcon({ status, size }: { status: VerificationStatus; size: number }) {
  if (status === "valid") return <CheckIcon size={size} />;
  if (status === "revoked" || status === "expired") return <PauseIcon size={size} />;
  return <CrossIcon size={size} />;
}

export function VerificationReport({ verification: v, scroll = true }: { verification: Verification; scroll?: boolean }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const text = STATUS_TEXT[v.status] ?? STATUS_TEXT.unverifiable;
  const c = summaryOf(v);
  const confirmed = v.status === "valid" || v.status === "revoked" || v.status === "expired";
  const badgeName = c?.badge?.name || c?.name || "Credential";
  const code = c?.badge?.code;
  const shownName = code && badgeName.startsWith(code + " ") ? badgeName.slice(code.length + 1) : badgeName;
  const checks = v.checks ?? [];
  const failed = checks.filter((ch) => !ch.ok);

  // Take focus to the verdict so screen-reader users hear it first, and bring
  // it to the top of the screen (on a phone it starts below the form).
  useEffect(() => {
    const heading = headingRef.current;
    if (!heading) return;
    heading.focus({ preventScroll: true });
    if (scroll) heading.closest("article")?.scrollIntoView({ block: "start" });
  }, [v, scroll]);

  return (
    <article className="verify-report" aria-labelledby={headingId} data-status={v.status}>
      <section className={`verdict verdict-${v.status}`}>
        <span className="verdict-icon">
          <StatusIcon status={v.status} size={36} />
        </span>
        <div>
          <h2 id={headingId} ref={headingRef} tabIndex={-1} className="verdict-title">
            {text.title}
          </h2>
          <p>{text.lead}</p>
          {!v.valid && v.reason && (
            <p className="verdict-reason">
              <strong>Why: </strong>
              {v.reason[0].toUpperCase() + v.reason.slice(1)}
            </p>
          )}
        </div>
      </section>

      {c && (
        <section className="card verify-details" aria-label={confirmed ? "What this credential says" : "What this credential claims"}>
          {!confirmed && <p className="verify-unconfirmed">What the credential claims. None of this is confirmed.</p>}
          <div className="verify-badge">
            {code && <span className="code code-lg">{code}</span>}
            <h3>{shownName}</h3>
          </div>
          {c.badge?.description && <p className="verify-description">{c.badge.description}</p>}
          <dl className="verify-facts">
            <Fact label="Earned by">{c.earner || "Not stated"}</Fact>
            <Fact label="Issued by">
              {c.issuer?.name || "Unknown issuer"}
              {c.issuer?.id && <span className="block small muted verify-id">{c.issuer.id}</span>}
            </Fact>
            {c.awarded && <Fact label="Awarded">{formatDate(c.awarded)}</Fact>}
            {c.valid_from && <Fact label="Valid from">{formatDate(c.valid_from)}</Fact>}
            <Fact label="Valid until">{c.valid_until ? formatDate(c.valid_until) : "No end date"}</Fact>
            {v.format && <Fact label="Checked as">{formatLabel(v.format)}</Fact>}
          </dl>
          {c.badge?.criteria && (
            <div className="verify-criteria">
              <h4>How it was earned</h4>
              <p>{c.badge.criteria}</p>
            </div>
          )}
          {c.results && c.results.length > 0 && (
            <div className="verify-results">
              <h4>Results for each learning goal</h4>
              <div className="table-scroll">
                <table className="verify-table">
                  <thead>
                    <tr>
                      <th scope="col">Learning goal</th>
                      <th scope="col">Level reached</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.results.map((r, i) => (
                      <tr key={`${r.cpe}-${i}`}>
                        <td>{r.cpe}</td>
                        <td>{r.level}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )}
        </section>
      )}

      {checks.length > 0 && (
        <section className="card verify-checks">
          <h3>
            Checks <span className="count">{failed.length ? `${failed.length} of ${checks.length} failed` : `${checks.length} passed`}</span>
          </h3>
          <ul className="checks">
            {checks.map((ch, i) => (
              <li key={`${ch.check}-${i}`} className={ch.ok ? "check-ok" : "check-fail"}>
                <span className="check-icon">{ch.ok ? <CheckIcon size={16} /> : <CrossIcon size={16} />}</span>
                <span className="check-text">
                  <span className="check-name">
                    {humanize(ch.check)}
                    <span className="sr-only">{ch.ok ? ": passed" : ": failed"}</span>
                  </span>
                  {ch.message && <span className="check-message">{ch.message}</span>}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function humanize(check: string): string {
  const s = check.replace(/[_-]+/g, " ").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : check;
}
