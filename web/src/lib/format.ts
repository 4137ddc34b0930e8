import type { PathwayState, Role, ScaleLevel } from "./types";

export const ROLE_LABELS: Record<Role, string> = {
  student: "Student",
  teacher: "Teacher",
  guardian: "Family",
  school_leader: "School leader",
  district_leader: "District leader",
  admin: "Administrator",
};

export const EVIDENCE_KINDS: { id: string; label: string; hint: string }[] = [
  { id: "formative", label: "Formative check", hint: "Exit ticket, practice quiz, quick check" },
  { id: "summative", label: "Summative assessment", hint: "Unit test, end-of-topic assessment" },
  { id: "performance_task", label: "Performance task", hint: "An extended, applied piece of work" },
  { id: "portfolio_item", label: "Portfolio item", hint: "A piece of work from the portfolio" },
  { id: "external_assessment", label: "External assessment", hint: "State or AP exam" },
  { id: "outside_school", label: "Learning outside school", hint: "Work, community projects, online courses" },
];

export function kindLabel(kind: string): string {
  return EVIDENCE_KINDS.find((k) => k.id === kind)?.label ?? kind.replace(/_/g, " ");
}

export const STATE_LABELS: Record<PathwayState, string> = {
  earned: "Earned",
  in_progress: "In progress",
  available: "Ready to start",
  locked: "Locked",
};

export const CALCULATION_METHODS: { id: string; label: string; hint: string }[] = [
  { id: "most_recent", label: "Most recent score", hint: "The latest evidence shows where the student is now." },
  { id: "mode_of_recent", label: "Most frequent of recent scores", hint: "The level seen most often in the last n scores." },
  { id: "mean_of_recent", label: "Mean of recent scores", hint: "The average of the last n scores." },
  { id: "highest", label: "Highest score", hint: "The best evidence so far." },
  { id: "mean", label: "Mean of all scores", hint: "The average of every score." },
  { id: "decaying_average", label: "Decaying average", hint: "Newer scores weigh more (weight)." },
  { id: "decaying_recursive", label: "Recursive decaying average", hint: "Each new score blends with the running value (weight)." },
  { id: "power_law", label: "Power law", hint: "Predicts the next score from the trend of all scores." },
  { id: "n_times_at_mastery", label: "n times at mastery", hint: "Mastery once n scores are at mastery." },
];

// Dates are written in the language in use (i18n sets it; English until then).
let locale = "en-US";
let dateFormat = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
let monthFormat = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", timeZone: "UTC" });
let dateTimeFormat = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

export function setFormatLocale(next: string): void {
  if (next === locale) return;
  locale = next;
  dateFormat = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  monthFormat = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", timeZone: "UTC" });
  dateTimeFormat = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
}

/** "2025-10-23" or an ISO instant → "Oct 23, 2025". */
export function formatDate(value: string | undefined | null): string {
  if (!value) return "";
  const d = new Date(value.length === 10 ? value + "T00:00:00Z" : value);
  return Number.isNaN(d.getTime()) ? value : dateFormat.format(d);
}


/** An ISO instant → "Oct 23, 2:05 PM" in the reader's time zone. */
export function formatDateTime(value: string | undefined | null): string {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateTimeFormat.format(d);
}

/** "2025-10" → "Oct 2025". */
export function formatMonth(value: string): string {
  const d = new Date(value + "-01T00:00:00Z");
  return Number.isNaN(d.getTime()) ? value : monthFormat.format(d);
}

/** Today in the browser's time zone as YYYY-MM-DD. */
export function todayIso(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function percent(rate: number | undefined): string {
  if (rate === undefined) return "";
  return `${Math.round(rate * 100)}%`;
}

export function plural(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The visual tone of a level: levels below mastery are warm (never alarming
 * red), mastery levels green; "none" when there is no evidence yet.
 */
export type Tone = "none" | "nm-low" | "nm-high" | "m-low" | "m-high";

export function levelTone(levels: ScaleLevel[], levelId: string | null | undefined): Tone {
  if (!levelId) return "none";
  const index = levels.findIndex((l) => l.id === levelId);
  if (index < 0) return "none";
  const level = levels[index];
  const mastery = levels.filter((l) => l.mastery);
  const below = levels.filter((l) => !l.mastery);
  if (level.mastery) {
    return mastery.indexOf(level) === 0 && mastery.length > 1 ? "m-low" : mastery.length === 1 ? "m-low" : "m-high";
  }
  // The non-mastery level just under the threshold reads "almost there".
  return below.indexOf(level) === below.length - 1 && below.length > 1 ? "nm-high" : "nm-low";
}
