// Portfolio, review and calibration: shapes of the REST API and the few
// helpers the pages share (labels, file uploads, artifact URLs).
import { useMe } from "./auth";
import { ApiError, enc } from "./api";
import type { Person } from "./types";

export type SubmissionState = "draft" | "submitted" | "in_review" | "revision_requested" | "accepted";

export interface CpeTag {
  cpe: string;
  indicator?: string;
}

export interface Artifact {
  id: number;
  name: string;
  mime: string;
  size: number;
  sha256?: string;
  uploaded_at?: string;
  kind?: ArtifactKind;
  preview?: boolean;
}

export type ArtifactKind = "image" | "pdf" | "document" | "text";

export interface SubmissionVersion {
  id: number;
  number: number;
  at: string;
  author?: Person;
  text: string;
  link: string;
  reflection?: string;
  tags: CpeTag[];
  artifacts: Artifact[];
}

export interface Anchor {
  artifact: number;
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export type EventKind =
  | "submit"
  | "start_review"
  | "request_revision"
  | "accept"
  | "feedback"
  | "share"
  | "unshare"
  | "showcase"
  | "unshowcase"
  | "consent"
  | "withdraw_consent"
  | "nominate_exemplar";

export interface PortfolioEvent {
  id: number;
  kind: EventKind;
  at: string;
  actor?: Person;
  version: number | null;
  message: string;
  anchor?: Anchor;
  cpe?: string;
  level?: string;
}

export interface LinkedRating {
  id: number;
  cpe: string;
  indicator?: string;
  level: string;
  version: number;
  demonstrated_on: string;
  recorded_at: string;
  recorded_by?: Person;
  note: string;
}

export interface SubmissionSummary {
  id: number;
  student: Person;
  badge: string;
  title: string;
  state: SubmissionState;
  versions: number;
  created_at: string;
  last_change: string;
  submitted_at?: string;
  waiting_days?: number;
  shared: boolean;
  showcased: boolean;
  consented: boolean;
  feedback: number;
  revision_message?: string;
}

export interface Submission extends SubmissionSummary {
  history: SubmissionVersion[];
  events: PortfolioEvent[];
  ratings: LinkedRating[];
  current_version: number | null;
  submitted_version: number | null;
}

export interface QueueItem extends SubmissionSummary {
  version: number;
}

export interface DiffLine {
  op: "same" | "add" | "del";
  line: string;
}

export interface Comparison {
  from: SubmissionVersion;
  to: SubmissionVersion;
  text: DiffLine[];
  reflection: DiffLine[];
  link_changed: boolean;
  artifacts: { added: number[]; removed: number[]; kept: number[] };
}

export interface Exemplar {
  id: number;
  badge: string;
  cpe: string;
  level: string;
  nominated_at: string;
  work: SubmissionVersion;
}

export type CalibrationState = "rating" | "revealed" | "closed";

export interface CalibrationSummary {
  id: number;
  title: string;
  badge: string;
  cpes: string[];
  items: number;
  raters: Person[];
  created_by?: Person;
  state: CalibrationState;
  my_progress?: { done: number; total: number };
}

export interface CalibrationItem {
  item: number;
  work: { text: string; link: string; artifacts: Artifact[] };
}

export interface Agreement {
  cpe: string;
  items: number;
  raters: number;
  exact_percent: number | null;
  adjacent_percent: number | null;
  cohen_kappa?: number | null;
  fleiss_kappa?: number | null;
  fleiss_reason?: string;
}

export interface CalibrationDetail {
  id: number;
  title: string;
  badge: string;
  cpes: string[];
  state: CalibrationState;
  raters?: Person[];
  created_by?: Person;
  items: CalibrationItem[];
  my_ratings: Record<string, string>;
  ratings?: { item: number; rater: { id?: string; name: string }; cpe: string; level: string }[];
  agreement?: Agreement[];
  notes?: { at: string; author: { name: string }; note: string }[];
}

/** Words for states: "Not yet" and "Needs revision", never failure words. */
export const SUBMISSION_STATE_LABELS: Record<SubmissionState, string> = {
  draft: "Draft",
  submitted: "Submitted",
  in_review: "In review",
  revision_requested: "Revision requested",
  accepted: "Accepted",
};

export const EVENT_LABELS: Record<EventKind, string> = {
  submit: "Submitted",
  start_review: "Review started",
  request_revision: "Asked for a revision",
  accept: "Accepted",
  feedback: "Feedback",
  share: "Shared with family",
  unshare: "Stopped sharing with family",
  showcase: "Added to showcase",
  unshowcase: "Removed from showcase",
  consent: "Consent to use as an example given",
  withdraw_consent: "Consent to use as an example withdrawn",
  nominate_exemplar: "Nominated as an exemplar",
};

export function artifactKind(a: Pick<Artifact, "mime" | "kind" | "name">): ArtifactKind {
  if (a.kind) return a.kind;
  if (a.mime.startsWith("image/")) return "image";
  if (a.mime === "application/pdf") return "pdf";
  if (a.mime.startsWith("text/")) return "text";
  return "document";
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / (1024 * 104.8576)) / 10} MB`;
}

/** Where an artifact's bytes and previews live: a student's own files, or a calibration item's (anonymized). */
export interface ArtifactSource {
  file: (a: Artifact) => string;
  thumb: (a: Artifact) => string;
  /** PNG of a PDF page (1-based); null when the source has no page images. */
  page: ((a: Artifact, page: number) => string) | null;
  /** URL answering {pages: n}; null when unknown. */
  pages: ((a: Artifact) => string) | null;
}

export const studentFiles: ArtifactSource = {
  file: (a) => `/api/v1/artifacts/${a.id}`,
  thumb: (a) => `/api/v1/artifacts/${a.id}/preview`,
  page: (a, page) => `/api/v1/artifacts/${a.id}/preview?page=${page}`,
  pages: (a) => `/api/v1/artifacts/${a.id}/pages`,
};

export function calibrationFiles(session: number, item: number): ArtifactSource {
  const base = `/api/v1/calibrations/${session}/items/${item}/artifacts`;
  return {
    file: (a) => `${base}/${a.id}`,
    thumb: (a) => `${base}/${a.id}?preview=1`,
    page: null,
    pages: null,
  };
}

export const ACCEPT_FILES = "image/*,application/pdf,.pdf,.doc,.docx,.odt,.txt,.md,.rtf,.ppt,.pptx,.odp,.xls,.xlsx,.ods,.csv";

/** Uploads files to a student's portfolio; progress goes 0..1. */
export function uploadArtifacts(studentId: string, files: File[], csrf: string, onProgress?: (fraction: number) => void): Promise<Artifact[]> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append("file", f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/students/${enc(studentId)}/artifacts`);
    xhr.setRequestHeader("Accept", "application/json");
    if (csrf) xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "The upload did not reach Cairn. Check your connection and try again."));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(((data as { artifacts?: Artifact[] }) ?? {}).artifacts ?? []);
        return;
      }
      const err = (data as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
      const fallback =
        xhr.status === 413 ? "The file is too large to upload." : xhr.status === 404 ? "File uploads are not available on this server yet." : `The upload failed (${xhr.status}).`;
      reject(new ApiError(xhr.status, err?.code ?? "http_" + xhr.status, err?.message ?? fallback, err?.field));
    };
    xhr.send(form);
  });
}

/** The CSRF token of this session (the same one the API layer sends). */
export function useCsrf(): string {
  return useMe().csrf_token ?? "";
}

/** Fractions 0..1 rounded for the API. */
export function frac(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 10000) / 10000;
}

export function submissionPath(role: string, id: number): string {
  if (role === "student") return `/me/portfolio/${id}`;
  return `/portfolio/${id}`;
}

export function portfolioPath(role: string, studentId: string): string {
  return role === "student" ? "/me/portfolio" : `/students/${enc(studentId)}/portfolio`;
}

/** Distinct CPE ids of a version's tags, in order. */
export function taggedCpes(v: SubmissionVersion | undefined): string[] {
  return [...new Set((v?.tags ?? []).map((t) => t.cpe))];
}

export function percentText(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return `${Math.round(n)}%`;
}

export function kappaText(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return n.toFixed(2);
}
