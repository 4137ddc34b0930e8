// Standards (CASE frameworks): the package upload, the frameworks list and
// the coverage report, as the standards API returns them.
import { apiErrorOf, csrfHeader } from "./api";

export interface CaseProblem {
  field: string;
  message: string;
}

export interface CaseImportReport {
  source: string;
  case_version: string;
  ok: boolean;
  dry_run: boolean;
  applied: boolean;
  /** null when the package was refused. */
  outcome: "added" | "new_version" | "unchanged" | null;
  framework: { id?: number; identifier: string; title: string; version: string; previous_version?: string };
  versions_stored: number;
  counts: Record<string, number>;
  problems: CaseProblem[];
  warnings: string[];
}

export interface Framework {
  id: number;
  identifier: string;
  uri: string;
  title: string;
  creator: string;
  publisher: string;
  version: string;
  imported_at: string;
  items: number;
  current: boolean;
  versions: number;
}

export interface Coverage {
  frameworks: {
    id: number;
    identifier: string;
    title: string;
    version: string;
    standards: number;
    covered: number;
    uncovered: { identifier: string; human_code: string; statement: string }[];
    badges: Record<string, number>;
  }[];
  badges: {
    code: string;
    title: string;
    cpes: number;
    aligned_cpes: number;
    unaligned: { id: string; label: string; statement: string }[];
    frameworks: Record<string, number>;
  }[];
  stale_links: { cpe: string; item: string }[];
}

/** The largest package the server reads (its catalog body limit). */
export const MAX_CASE_BYTES = 8 << 20;

/**
 * Sends a CASE package as it is (the server reads it and names JSON paths in
 * its errors, so the text is not parsed here). A refused package resolves
 * with the report when the server sent one, else throws the ApiError.
 */
export async function uploadCase(text: string, dryRun: boolean): Promise<CaseImportReport> {
  const response = await fetch(`/api/v1/imports/case?dry_run=${dryRun}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...csrfHeader() },
    body: text,
  });
  const body = await response.text();
  let data: unknown = undefined;
  try {
    data = body ? JSON.parse(body) : undefined;
  } catch {
    data = body;
  }
  if (!response.ok) throw apiErrorOf(response.status, data, `The server answered ${response.status}.`);
  return data as CaseImportReport;
}

export function outcomeText(report: CaseImportReport): string {
  const f = report.framework;
  if (!report.ok) return "Problems found";
  const what = `${f.title} (version ${f.version})`;
  switch (report.outcome) {
    case "unchanged":
      return report.dry_run ? `${what} is already here: an import would change nothing.` : `${what} was already here: nothing changed.`;
    case "new_version":
      return report.dry_run
        ? `${what} is a new version of ${f.previous_version ? `version ${f.previous_version}` : "a framework already here"}: an import would make it current and keep the old one.`
        : `Imported ${what} as the current version; version ${f.previous_version ?? "before"} is kept.`;
    default:
      return report.dry_run ? `${what} is new here and ready to import.` : `Imported ${what}.`;
  }
}
