import { useId, useRef, useState } from "react";
import { api, enc, errorMessage } from "../lib/api";
import { useMe } from "../lib/auth";
import { linkedInAddUrl, shareUrl, type CredentialList, type CredentialSummary } from "../lib/credentials";
import { formatDate, formatDateTime } from "../lib/format";
import { useT } from "../i18n";
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
  const t = useT();
  const self = me.role === "student";
  const id = enc(studentId);
  const list = useApi<CredentialList>(`/api/v1/students/${id}/credentials`);
  const info = useApi<StudentInfo>(self ? null : `/api/v1/students/${id}`);
  const name = self ? me.name : info.data?.name ?? "";
  const firstName = name.split(" ")[0];
  useDocumentTitle(self ? t("nav.myCredentials") : name ? t("cred.of", { name }) : t("student.credentials"));

  const studentPath = `/students/${id}`;
  const crumbs = self
    ? [{ to: "/me", label: t("nav.myLearning") }]
    : me.role === "guardian"
      ? [
          { to: "/children", label: t("nav.myChildren") },
          { to: studentPath, label: name || t("role.student") },
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
        title={self ? t("nav.myCredentials") : name ? t("cred.of", { name }) : t("student.credentials")}
        subtitle={
          self
            ? t("cred.subtitleSelf")
            : t("cred.subtitle", { name: firstName || t("student.thisStudent") }) + (me.role === "guardian" ? " " + t("cred.onlyChild") : "")
        }
        actions={
          list.data && credentials.length > 0 ? (
            <a className="btn btn-secondary" href={list.data.clr} download>
              <DownloadIcon />
              {t("cred.clr")}
              <span className="sr-only"> {t("cred.clrDetail")}</span>
            </a>
          ) : undefined
        }
      />
      {list.error !== undefined && <ErrorNotice error={list.error} title={t("cred.loadFailed")} onRetry={list.reload} />}
      {list.loading && !list.data && <Spinner label={t("cred.loading")} />}
      {list.data && credentials.length === 0 && (
        <Empty title={t("cred.none")}>
          {self ? t("cred.noneSelf") : t("cred.noneHelp")}
        </Empty>
      )}
      {credentials.length > 0 && (
        <>
          <p className="cred-count muted">
            {t("cred.count", { count: credentials.length })} · <Link to="/verify">{t("cred.howCheck")}</Link>
          </p>
          <ul className="cred-list" aria-label={self ? t("nav.myCredentials") : t("student.credentials")}>
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
  const t = useT();
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
          <CredentialStatusChip status={c.status} valid={t("cred.valid")} withdrawn={t("cred.withdrawn")} />
        </div>
        <p className="small muted">{t("cred.issued", { date: formatDate(c.issued_at) })}</p>
        {revoked && (
          <p className="cred-withdrawn">
            {t("cred.withdrewIt")}
            {c.revocation_reason ? `: ${c.revocation_reason}` : "."}
            {c.revocation_reason && !/[.!?]$/.test(c.revocation_reason) ? "." : ""} {t("cred.noLongerValid")}
          </p>
        )}
        <div className="cred-downloads" role="group" aria-label={t("cred.downloadOf", { name: `${c.badge} ${title}` })}>
          <span className="cred-label" aria-hidden="true">
            {t("cred.download")}
          </span>
          <DownloadLink href={c.links.png} label={t("cred.png")} detail={t("cred.imageDetail")} />
          <DownloadLink href={c.links.svg} label="SVG" detail={t("cred.imageDetail")} />
          <DownloadLink href={c.links.json} label="JSON" detail={t("cred.jsonDetail")} />
          <DownloadLink href={c.links.jwt} label="JWT" detail={t("cred.jwtDetail")} />
        </div>
        <ShareControl credential={c} canShare={canShare} onChange={onChange} />
        {canShare && !revoked && <WalletControl credential={c} />}
      </div>
    </article>
  );
}

function DownloadLink({ href, label, detail }: { href: string; label: string; detail: string }) {
  const t = useT();
  return (
    <a className="btn btn-secondary btn-sm" href={href} download title={t("cred.downloadTitle", { detail })}>
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
  const t = useT();
  const url = shareUrl(c.uuid);

  async function toggle() {
    setBusy(true);
    setMessage(null);
    try {
      const next = !c.public;
      const answer = await api.post<Partial<CredentialSummary> | undefined>(`/api/v1/credentials/${enc(c.uuid)}/share`, { public: next });
      onChange({ ...c, ...(answer && typeof answer === "object" && "uuid" in answer ? answer : {}), public: answer?.public ?? next });
      setMessage({ text: next ? t("cred.linkOn") : t("cred.linkOff"), tone: "ok" });
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setMessage({ text: t("cred.copied"), tone: "ok" });
    } catch {
      inputRef.current?.select();
      setMessage({ text: t("cred.copyByHand"), tone: "ok" });
    }
  }

  if (!canShare) {
    return (
      <p className="small muted cred-share-note">
        {c.public ? (
          <>
            {t("cred.sharedPublicly")} <a href={url}>{url}</a>
          </>
        ) : (
          t("cred.notShared")
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
          {t("cred.publicLink")}
          <span className="sr-only"> {t("cred.forTitle", { title: c.title })}</span>
        </span>
        <span className="small muted">{c.public ? t("cred.on") : revokedAndPrivate ? t("cred.offWithdrawn") : t("cred.off")}</span>
      </div>
      {c.public && (
        <div className="cred-link-row">
          <label className="sr-only" htmlFor={`link-${c.uuid}`}>
            {t("cred.publicLink")} {t("cred.forTitle", { title: c.title })}
          </label>
          <input id={`link-${c.uuid}`} ref={inputRef} className="cred-link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="btn btn-secondary btn-sm" onClick={copy}>
            <CopyIcon />
            {t("cred.copy")}
            <span className="sr-only"> {t("cred.forTitle", { title: c.title })}</span>
          </button>
          {c.status === "valid" && (
            <a className="btn btn-secondary btn-sm" href={linkedInAddUrl(c)} target="_blank" rel="noopener noreferrer">
              {t("cred.linkedin")}
              <span className="sr-only"> {t("cred.forTitle", { title: c.title })} {t("cred.newWindow")}</span>
            </a>
          )}
        </div>
      )}
      <div role="status" className={`cred-message${message?.tone === "error" ? " is-error" : ""}`}>
        {message?.text}
      </div>
    </div>
  );
}

type WalletOffer = { exchange_url: string; deep_link: string; qr_svg: string; expires_at: string };

/**
 * "Add to my wallet": a one-time offer (QR code for the phone's wallet, or
 * the link on the phone itself). The wallet proves its key and gets a copy
 * of the credential made out to it; the offer works once, for 15 minutes.
 */
function WalletControl({ credential: c }: { credential: CredentialSummary }) {
  const t = useT();
  const [offer, setOffer] = useState<WalletOffer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const titleId = useId();

  async function start() {
    setBusy(true);
    setError("");
    try {
      setOffer(await api.post<WalletOffer>(`/api/v1/credentials/${enc(c.uuid)}/wallet-offer`, {}));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="cred-wallet">
      {!offer && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={start} disabled={busy}>
          {t("cred.wallet.add")}
          <span className="sr-only"> {t("cred.forTitle", { title: c.title })}</span>
        </button>
      )}
      {offer && (
        <section className="cred-wallet-offer" aria-labelledby={titleId} data-exchange={offer.exchange_url}>
          <h3 id={titleId} className="small">
            {t("cred.wallet.title")}
          </h3>
          <img className="cred-wallet-qr" src={`data:image/svg+xml;utf8,${encodeURIComponent(offer.qr_svg)}`} alt={t("cred.wallet.qrAlt")} width={168} height={168} />
          <div className="small">
            <p>{t("cred.wallet.scan")}</p>
            <p>
              <a href={offer.deep_link}>{t("cred.wallet.open")}</a>
            </p>
            <p className="muted">{t("cred.wallet.once", { time: formatDateTime(offer.expires_at) })}</p>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOffer(null)}>
              {t("cred.wallet.done")}
            </button>
          </div>
        </section>
      )}
      {error && (
        <p role="alert" className="cred-message is-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function CredentialStatusChip({ status, valid = "Valid", withdrawn = "Withdrawn" }: { status: "valid" | "revoked"; valid?: string; withdrawn?: string }) {
  return status === "valid" ? (
    <span className="state-chip cred-chip cred-chip-valid">
      <CheckIcon />
      <span>{valid}</span>
    </span>
  ) : (
    <span className="state-chip cred-chip cred-chip-revoked">
      <PauseIcon />
      <span>{withdrawn}</span>
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
