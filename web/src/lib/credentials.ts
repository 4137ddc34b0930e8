// Verifiable credentials (Open Badges 3.0, CLR 2.0): shapes of the API and
// small helpers shared by the credentials page and the public verifier.

export type CredentialStatus = "valid" | "revoked";

export interface CredentialLinks {
  json: string;
  png: string;
  svg: string;
  jwt: string;
  // Only once they resolve: after the student shares the credential (ob2
  // also needs the district's issuer email).
  ob2?: string;
  share?: string;
}

export interface CredentialSummary {
  uuid: string;
  badge: string;
  title: string;
  issued_at: string;
  issuer_name?: string;
  status: CredentialStatus;
  revocation_reason?: string;
  public: boolean;
  links: CredentialLinks;
  // Per absent link, what it waits for.
  links_waiting_for?: { ob2?: string; share?: string };
}

export interface CredentialList {
  credentials: CredentialSummary[];
  clr: string;
}

export type VerificationStatus = "valid" | "revoked" | "expired" | "invalid" | "unverifiable";

export interface VerificationCheck {
  check: string;
  ok: boolean;
  message: string;
}

export interface VerifiedCredential {
  name?: string;
  issuer?: { id?: string; name?: string };
  earner?: string;
  awarded?: string;
  valid_from?: string;
  valid_until?: string;
  badge?: { code?: string; name?: string; description?: string; criteria?: string };
  results?: { cpe: string; level: string }[];
}

export interface Verification {
  valid: boolean;
  status: VerificationStatus;
  format?: string;
  reason?: string;
  checks?: VerificationCheck[];
  /** What the credential says, in plain fields (empty strings when unreadable). */
  summary?: VerifiedCredential;
  /** The credential as checked (the raw document); older answers put the summary here. */
  credential?: unknown;
}

/** The plain-field summary of a verification answer, if it says anything. */
export function summaryOf(v: Verification): VerifiedCredential | undefined {
  const raw = v.credential as VerifiedCredential | undefined;
  const s = v.summary ?? (raw && typeof raw === "object" && ("earner" in raw || "badge" in raw) ? raw : undefined);
  if (!s) return undefined;
  return s.name || s.badge?.name || s.earner || s.issuer?.name ? s : undefined;
}

export interface PublicCredential {
  credential: unknown;
  verification: Verification;
}

/**
 * LinkedIn's "Add to profile" link for a shared credential: a certification
 * named after the badge, issued by the district, linking to the public page.
 */
export function linkedInAddUrl(c: CredentialSummary): string {
  const issued = new Date(c.issued_at);
  const params = new URLSearchParams({
    startTask: "CERTIFICATION_NAME",
    name: c.title,
    organizationName: c.issuer_name ?? "",
    issueYear: String(issued.getUTCFullYear()),
    issueMonth: String(issued.getUTCMonth() + 1),
    certUrl: shareUrl(c.uuid),
    certId: c.uuid,
  });
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
}

/** The public page a shared credential can be checked at. */
export function shareUrl(uuid: string): string {
  return `${window.location.origin}/verify/${encodeURIComponent(uuid)}`;
}

/** The content type to send a pasted or dropped credential with. */
export function contentTypeFor(name: string, type: string, head: string): string {
  const lower = name.toLowerCase();
  if (type === "image/png" || lower.endsWith(".png")) return "image/png";
  if (type === "image/svg+xml" || lower.endsWith(".svg")) return "image/svg+xml";
  const text = head.trimStart();
  if (text.startsWith("<")) return "image/svg+xml";
  if (text.startsWith("{") || text.startsWith("[")) return "application/json";
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(text.trim())) return "application/jwt";
  return type || "application/octet-stream";
}

export class VerifyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * POSTs the raw bytes to the public verifier. No cookie is sent: verifying
 * is the same for everyone, and a signed-in visitor needs no CSRF token.
 */
export async function verifyBytes(body: BodyInit, contentType: string): Promise<Verification> {
  let response: Response;
  try {
    response = await fetch("/api/v1/verify", {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": contentType, Accept: "application/json" },
      body,
    });
  } catch {
    throw new VerifyError(0, "Cairn could not be reached. Check your connection and try again.");
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  const result = data as Verification | { error?: { message?: string } } | undefined;
  if (result && typeof result === "object" && "status" in result && "valid" in result) return result as Verification;
  const message = (result as { error?: { message?: string } } | undefined)?.error?.message;
  if (response.status === 413) throw new VerifyError(413, "That file is too large to be a badge. Badge images are usually well under a megabyte.");
  if (response.status === 429) throw new VerifyError(429, "Too many checks in a short time. Wait a minute and try again.");
  throw new VerifyError(response.status, message ? message[0].toUpperCase() + message.slice(1) : `The verifier answered ${response.status}.`);
}

export const STATUS_TEXT: Record<VerificationStatus, { title: string; lead: string }> = {
  valid: { title: "Valid", lead: "This credential is genuine: it was issued as shown and has not been changed or withdrawn." },
  revoked: { title: "Revoked", lead: "This credential was issued genuinely, but the issuer has since withdrawn it." },
  expired: { title: "Expired", lead: "This credential was issued genuinely, but its validity period has ended." },
  invalid: { title: "Not valid", lead: "This credential could not be confirmed: it may have been changed since it was issued, or it was not issued as shown." },
  unverifiable: { title: "Could not be checked", lead: "Cairn could not check this credential. It may come from another issuer, or a document it needs is unavailable." },
};

const FAMILIES: Record<string, string> = { ob3: "Open Badges 3.0", ob2: "Open Badges 2.0", clr: "CLR 2.0 transcript", clr2: "CLR 2.0 transcript" };
const CARRIERS: Record<string, string> = { json: "JSON", png: "baked PNG image", svg: "baked SVG image", jwt: "VC-JWT" };

/** "ob3+png" → "Open Badges 3.0, baked PNG image". */
export function formatLabel(format: string): string {
  const [family, carrier] = format.split("+");
  const f = FAMILIES[family];
  const c = carrier ? CARRIERS[carrier] : CARRIERS[family];
  if (f && c) return `${f}, ${c}`;
  return f ?? c ?? format;
}
