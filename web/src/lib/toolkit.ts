// Instruments, teams and rounds (issue #15): the shapes of /api/v1/districts/
// {district}/{instruments,staff,teams,rounds}, /api/v1/rounds/... and
// /api/v1/me/rounds.
import { ApiError } from "./api";

export interface InstrumentSummary {
  id: string;
  title: string;
  description: string;
  kind: "survey" | "discussion" | "rubric" | "staging";
  anonymous: boolean;
  repeat: string;
  sections: number;
  items: number;
  rounds: boolean;
}

export interface StaffMember {
  id: string;
  name: string;
  role: string;
  school: string | null;
}

export interface Team {
  id: string;
  name: string;
  school: { id: string; name: string } | null;
  members: { id: string; name: string; role: string }[];
  created_at: string;
}

export interface ScalePoint {
  value: number;
  label: string;
  description?: string;
}

export interface InstrumentItem {
  id: string;
  prompt: string;
  help?: string;
  response: { type: "scale" | "text" | "rubric"; scale?: string; levels?: { value: number; description: string }[] };
}

export interface InstrumentDocument {
  id: string;
  title: string;
  description?: string;
  scales: { id: string; title?: string; points: ScalePoint[] }[];
  sections: { id: string; title: string; description?: string; items: InstrumentItem[] }[];
}

export interface Answers {
  answers: Record<string, number>;
  texts: Record<string, string>;
}

export interface Round {
  id: string;
  instrument: { id: string; title: string };
  team: { id: string; name: string };
  label: string;
  due: string;
  anonymous: boolean;
  status: "open" | "closed";
  accepting: boolean;
  results_ready: boolean;
  previous: string | null;
  members: number;
  responses?: number;
  answered?: boolean;
  opened_by?: string;
  opened_at: string;
  closed_at: string | null;
  instrument_document?: InstrumentDocument;
  you_lead?: boolean;
  you_respond?: boolean;
  my_response?: (Answers & { revisions: number }) | null;
}

export interface PointCount {
  value: number;
  label: string;
  count: number;
}

export interface ItemResult {
  item: string;
  section: string;
  prompt: string;
  kind: "scale" | "text";
  n: number;
  suppressed: boolean;
  note?: string;
  median?: number | null;
  iqr?: number | null;
  lowest?: number | null;
  highest?: number | null;
  mean?: number | null;
  disagreement?: number | null;
  distribution?: PointCount[];
  texts?: string[];
}

export interface DomainResult {
  section: string;
  title: string;
  items: number;
  items_counted: number;
  respondents: number;
  answers: number;
  mean: number | null;
  median: number | null;
  disagreement: number | null;
  scale_min: number | null;
  scale_max: number | null;
  distribution: PointCount[];
}

export interface DomainChange {
  section: string;
  title: string;
  before: number | null;
  after: number | null;
  change: number | null;
}

export interface RoundResults extends Round {
  responses: number;
  results: {
    respondents: number;
    anonymous: boolean;
    domains: DomainResult[];
    most_disagreed: ItemResult[];
    items: ItemResult[];
  };
  previous_round: Round | null;
  change: DomainChange[] | null;
  responses_by_person?: (Answers & { person: { id: string; name: string } | null; answered_at: string })[];
}

/** One decimal, as the results show every mean and median. */
export function oneDecimal(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : value.toFixed(1);
}

/** A change with its sign: "+0.5", "−0.3", "0.0". */
export function signed(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  const text = Math.abs(value).toFixed(1);
  if (text === "0.0") return "0.0";
  return (value > 0 ? "+" : "−") + text;
}

/** Disagreement in words beside its number (Leik's D, 0..1). */
export function disagreementWords(d: number | null | undefined): string {
  if (d === null || d === undefined) return "–";
  if (d >= 0.6) return "strong";
  if (d >= 0.35) return "some";
  return "little";
}

/** Field errors of a refused form, by field name ("members[2]" counts as "members"). */
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError) {
    for (const p of e.errors) {
      const field = p.field.replace(/\[\d+\]$/, "");
      out[field] = out[field] ? `${out[field]}; ${p.message}` : p.message[0].toUpperCase() + p.message.slice(1);
    }
  }
  return out;
}
