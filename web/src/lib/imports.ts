// Roster imports (OneRoster zip): the upload with its progress, the job the
// server runs in the background, and the words the pages use for its phases.
import { ApiError, apiErrorOf, csrfHeader } from "./api";

export type ImportPhase = "queued" | "reading" | "checking" | "writing" | "done" | "failed";

export interface ImportFileReport {
  mode?: "bulk" | "delta" | "absent" | string;
  rows?: number;
  ignored_columns?: string[];
}

export interface ImportChange {
  added?: number;
  updated?: number;
  deactivated?: number;
}

export interface ImportProblem {
  file: string;
  line?: number;
  column?: string;
  reason: string;
}

export interface ImportReport {
  version?: string;
  dry_run: boolean;
  applied: boolean;
  ok: boolean;
  files?: Record<string, ImportFileReport>;
  changes?: Record<string, ImportChange>;
  problems?: ImportProblem[];
  warnings?: unknown[];
  ignored_files?: string[];
}

export interface ImportJob {
  id: string;
  kind: "oneroster";
  phase: ImportPhase;
  progress: number;
  dry_run: boolean;
  file: string;
  started_at: string;
  finished_at?: string;
  error?: string;
  report?: ImportReport;
}

export const PHASE_LABELS: Record<ImportPhase, string> = {
  queued: "Waiting to start",
  reading: "Reading the files",
  checking: "Checking against the roster",
  writing: "Writing the changes",
  done: "Done",
  failed: "Failed",
};

export function phaseLabel(phase: string): string {
  return PHASE_LABELS[phase as ImportPhase] ?? phase;
}

export function isFinished(phase: string): boolean {
  return phase === "done" || phase === "failed";
}

/** "academic_sessions" → "Academic sessions". */
export function entityLabel(key: string): string {
  const words = key.replace(/_/g, " ");
  return words ? words[0].toUpperCase() + words.slice(1) : words;
}

/** A warning as text, whatever shape the server gave it. */
export function warningText(w: unknown): string {
  if (typeof w === "string") return w;
  if (w && typeof w === "object") {
    const o = w as Record<string, unknown>;
    const where = [o.file, o.line !== undefined ? `line ${o.line}` : null, o.column].filter(Boolean).join(", ");
    const what = typeof o.reason === "string" ? o.reason : typeof o.message === "string" ? o.message : JSON.stringify(w);
    return where ? `${where}: ${what}` : what;
  }
  return String(w);
}

/**
 * Uploads a OneRoster zip (multipart, part `file`) with XMLHttpRequest so the
 * upload's progress (0..1) can be shown; resolves with the job the server
 * started (202).
 */
export function uploadRoster(file: File, dryRun: boolean, onProgress?: (fraction: number) => void): { promise: Promise<ImportJob>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ImportJob>((resolve, reject) => {
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.open("POST", `/api/v1/imports/oneroster?dry_run=${dryRun ? "true" : "false"}`);
    xhr.setRequestHeader("Accept", "application/json");
    for (const [k, v] of Object.entries(csrfHeader())) xhr.setRequestHeader(k, v);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.total > 0 ? e.loaded / e.total : 1);
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "The upload did not reach Cairn. Check your connection and try again."));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "The upload was stopped."));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && data && typeof data === "object") {
        onProgress?.(1);
        resolve(data as ImportJob);
        return;
      }
      const fallback = xhr.status === 413 ? "The file is larger than the server accepts." : `The upload failed (${xhr.status}).`;
      reject(apiErrorOf(xhr.status, data, fallback));
    };
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
