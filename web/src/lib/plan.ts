// The district implementation plan: trackers (the guide's Appendix B
// templates), observations and the dashboard (server/handlers/tracker_handlers.h).

export type RowStatus = "not started" | "in progress" | "done" | "dropped";
export const ROW_STATUSES: RowStatus[] = ["not started", "in progress", "done", "dropped"];

export interface TrackerColumn {
  id: string;
  label: string;
  kind: "text" | "choice" | "list" | "report";
  required: boolean;
  choices?: string[];
  reports?: { id: string; label: string }[];
}

export interface TrackerDefinition {
  id: string;
  title: string;
  template: string;
  action: string;
  step: number;
  step_title: string;
  description: string;
  columns: TrackerColumn[];
  questions_intro: string;
  questions: string[];
  guiding_questions: { heading: string; questions: string[] }[];
}

export type CellValue = string | string[] | { report: string; group: string | null };

export interface TrackerRowBody {
  values: Record<string, CellValue>;
  owner: string;
  due: string | null;
  status: RowStatus;
  notes: string;
}

export interface TrackerRow extends TrackerRowBody {
  id: string;
  title: string;
  overdue: boolean;
  revisions: number;
  updated_at?: string;
  updated_by?: string;
  report_value?: { label: string; value: string } | null;
}

export interface TrackerRows {
  tracker: TrackerDefinition;
  rows: TrackerRow[];
  today: string;
  can_edit: boolean;
}

export interface RowWithHistory extends TrackerRow {
  history: (TrackerRowBody & { revision: number; recorded_at: string; recorded_by: string })[];
}

export interface TrackerSummary {
  id: string;
  title: string;
  template: string;
  action?: string;
  step: number;
  rows: number;
  overdue: number;
}

export interface Implementation {
  district: { id: string; name: string };
  today: string;
  stage: {
    current_step: number;
    title: string;
    why: string;
    steps: { step: number; title: string; rows: number; not_started: number; in_progress: number; done: number; dropped: number; overdue: number }[];
  };
  overdue: { tracker: string; tracker_title: string; row: string; title: string; owner: string; due: string; status: RowStatus; days_late: number }[];
  trackers: TrackerSummary[];
  rounds: {
    shown: boolean;
    note?: string;
    latest?: { instrument: string; title: string; round: string; label: string; due: string; status: string; respondents: number; domains: { section: string; title: string; median: number | null; mean: number | null; scale_min: number | null; scale_max: number | null; respondents: number }[] }[];
  };
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface ObservationSummary {
  id: string;
  observer: PersonRef | null;
  teacher: PersonRef | null;
  date: string;
  protocol: string | null;
  protocol_name: string | null;
  look_fors_recorded: number;
}

export interface Observation extends ObservationSummary {
  look_fors: { look_for: string; seen: "seen" | "partly" | "not seen"; note: string }[];
  notes: string;
  recorded_at?: string;
}

export interface ObservationList {
  observations: ObservationSummary[];
  can_record: boolean;
  protocols: { id: string; name: string; look_fors: string[] }[];
  teachers: PersonRef[];
}

export function planBase(district: string): string {
  return `/api/v1/districts/${encodeURIComponent(district)}`;
}
