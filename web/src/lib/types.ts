// Shapes of the Cairn REST API (see /api/openapi.json and src/server/api.cpp).

export type Role =
  | "student"
  | "teacher"
  | "guardian"
  | "school_leader"
  | "district_leader"
  | "admin";

export interface Person {
  id: string;
  name: string;
  role: Role;
}

export interface Me extends Person {
  csrf_token?: string;
  school?: { id: string; name: string };
  district?: { id: string; name: string };
  students: Person[];
  sections: { id: string; title: string }[];
}

export interface LoginResult {
  user: Person;
  csrf_token: string;
}

export interface ScaleLevel {
  id: string;
  label: string;
  score: number;
  mastery?: boolean;
  description?: string;
}

export interface Scale {
  id: string;
  title?: string;
  levels: ScaleLevel[];
}

export interface Indicator {
  id: string;
  label: string;
  description?: string;
  /** The guide's short form ("i", "ii"). */
  code?: string;
}

export interface Cpe {
  id: string;
  label: string;
  statement?: string;
  kind?: "content" | "practice";
  indicators?: Indicator[];
  alignments?: string[];
  calculation?: Calculation;
  /** The guide's short code ("101a"), shown beside the id. */
  code?: string;
  /** What work at a level looks like for this CPE, by level id. */
  level_descriptions?: Record<string, string>;
}

export interface AwardRule {
  quorum?: "all" | "majority" | "at_least";
  at_least?: number;
  required_cpes?: string[];
  min_evidence_per_cpe?: number;
  required_evidence_kinds?: string[];
  prerequisites_earned?: boolean;
}

export interface CatalogBadge {
  code: string;
  title: string;
  description?: string;
  grouping?: string;
  scale?: string;
  prerequisites?: string[];
  calculation?: Calculation;
  award_rule?: AwardRule;
  cpes: Cpe[];
}

export interface Pathway {
  id: string;
  title: string;
  description?: string;
  badges: string[];
  example?: boolean;
}

export interface Calculation {
  method: string;
  n?: number;
  weight?: number;
  include_formative?: boolean;
}

export interface Catalog {
  format: string;
  format_version: number;
  framework: { id: string; title: string; version?: string; publisher?: string };
  scales: Scale[];
  default_scale?: string;
  calculation?: Calculation;
  habits?: { scale: string; items: { id: string; label: string; description?: string }[] };
  badges: CatalogBadge[];
  pathways?: Pathway[];
  catalog_version?: number;
}

export interface Section {
  id: string;
  title: string;
  term: string;
  school: string;
  course: string;
  badges: string[];
  teachers: string[];
  student_count: number;
}

export type AwardState = "none" | "proposed" | "confirmed" | "revoked";

export interface Award {
  state: AwardState;
  confirmed_on?: string;
  reason?: string;
}

export interface GridCell {
  cpe: string;
  level: string | null;
  level_label?: string;
  value?: number;
  mastered?: boolean;
  evidence_count: number;
}

export interface GridStudent {
  id: string;
  name: string;
  rule_met: boolean;
  award: Award;
  cells: GridCell[];
}

export interface Grid {
  section: { id: string; title: string };
  badge: { code: string; title: string };
  badges: string[];
  levels: ScaleLevel[];
  cpes: { id: string; label: string; statement?: string }[];
  students: GridStudent[];
}

export interface ExplanationCpe {
  cpe: string;
  label: string;
  counts: boolean;
  required: boolean;
  value: number | null;
  level: string | null;
  level_label?: string;
  evidence_count: number;
  last_demonstrated?: string;
  reason: string;
}

export interface Explanation {
  badge: string;
  title: string;
  met: boolean;
  rule: string;
  cpes_counting: number;
  cpes_needed: number;
  cpes: ExplanationCpe[];
  missing_prerequisites: string[];
  missing_evidence_kinds: string[];
  remaining: string[];
}

export type PathwayState = "earned" | "in_progress" | "available" | "locked";

export interface BadgeProgress {
  badge: string;
  title: string;
  state: PathwayState;
  award: Award;
  rule_met: boolean;
  cpes_counting: number;
  cpes_needed: number;
  cpes_with_evidence: number;
  missing_prerequisites: string[];
  explanation: Explanation;
}

export interface HabitStatus {
  habit: string;
  label: string;
  level?: string;
  level_label?: string;
  observations?: number;
  observed_on?: string;
}

export interface Progress {
  student: { id: string; name: string };
  badges: BadgeProgress[];
  habits_of_work: HabitStatus[];
}

export interface StudentInfo extends Person {
  grade?: string;
  school?: string;
  sections: { id: string; title: string; badges: string[] }[];
}

export interface Evidence {
  id: number;
  cpe: string;
  cpe_label?: string;
  badge?: string;
  indicator?: string;
  level: string;
  level_label?: string;
  demonstrated_on: string;
  recorded_at: string;
  recorded_by?: string;
  kind: string;
  note: string;
  artifact_ref?: string;
  corrects: number | null;
  corrected_by: number | null;
  voided: { reason: string; at: string } | null;
}

export interface RecordOutcome {
  fact_id: number;
  cpe_status: unknown;
  badge: Explanation;
  award_action: string | null;
}

export interface PendingAward {
  student: Person;
  badge: string;
  title: string;
  proposed_at: string;
  waiting_days: number; // oldest first in the list
  explanation: Explanation;
}

export interface CompletionGroup {
  group: string;
  /** Distinct students; absent when the group is suppressed. */
  students?: number;
  /** (student, badge) pairs the rate is computed over. */
  badge_enrolments?: number;
  suppressed: boolean;
  completed?: number;
  completion_rate?: number;
  by_month?: { month: string; completed: number }[];
}

export interface Completion {
  by: "badge" | "school" | "course";
  minimum_group_size: number;
  groups: CompletionGroup[];
}

export type EquityField = "gender" | "race_ethnicity" | "english_learner" | "disability" | "economically_disadvantaged";

export interface EquityFigures {
  students: number;
  badge_enrolments: number;
  completed: number;
  not_yet: number;
  completion_rate: number;
  /** Badges taken on whose student is not progressing (the pace flag). */
  not_progressing: number;
  not_progressing_rate: number;
}

export interface EquityGroup extends Partial<EquityFigures> {
  group: string;
  suppressed: boolean;
  /** completion_rate minus everyone's; absent when suppressed. */
  gap?: number;
  /** not_progressing_rate minus everyone's. */
  not_progressing_gap?: number;
}

export interface Equity {
  field: EquityField;
  title: string;
  minimum_group_size: number;
  /** Null when there are too few students in all. */
  overall: EquityFigures | null;
  groups: EquityGroup[];
}

export interface BadgeDrilldown {
  badge: string;
  title: string;
  students: number;
  completed: number;
  schools: { school: string; students: number; completed: number }[];
  sections: { section_id: string; section: string; school: string; students: number; completed: number }[];
  /** Students not done per reason, most common first. */
  reasons: { reason: string; students: number }[];
  total: number;
  rows: {
    student_id: string;
    student_name: string;
    school: string;
    section: string;
    section_id: string;
    completed: boolean;
    completed_on: string;
    award_state: string;
    remaining: string[];
    last_evidence_on: string;
  }[];
}

export interface Settings {
  auto_award: boolean;
  calculation?: Calculation;
  /** The district's default language for families and students (null or absent: English). */
  language?: "en" | "es" | null;
}

export interface Account {
  id: number;
  username: string;
  disabled: boolean;
  person?: Person;
}

export interface PaceRow {
  student: string;
  student_id: string;
  school: string;
  course: string;
  section: string;
  section_id: string;
  badge: string;
  badge_title: string;
  award_state: string;
  not_progressing: boolean;
  advancing_rapidly: boolean;
  last_evidence: string | null;
  last_mastery: string | null;
  weeks_stalled: number | null;
  cpes_gained: number;
  cpes_per_week: number;
  section_median: number;
  plan_weeks: number;
  expected_cpes_per_week: number;
  pace_ratio: number;
  behind_plan: boolean;
  cpes_counting: number;
  cpes_needed: number;
  short_cpes: string[];
  missing_prerequisites: string[];
  missing_kinds: string[];
  why: string[];
}

export interface PaceReport {
  scope: { kind: "section" | "school" | "district"; id: string; name: string };
  flag: string;
  sort: string;
  today: string;
  window_weeks: number;
  window_start: string;
  enrolments: number;
  not_progressing: number;
  advancing_rapidly: number;
  behind_plan: number;
  total: number; // rows in the whole list; `rows` is one page of it
  offset: number;
  limit: number;
  rows: PaceRow[];
}

// GET /api/v1/students/{student}/family-summary: written for families.
export interface FamilyBadge {
  code: string;
  title: string;
  state: "earned" | "confirming" | "working";
  earned_on: string | null;
  done: number;
  needed: number;
  next_step: string;
  next_cpe: string;
  /** The next step as parts, so the page can say it in the reader's language (next_step is the English). */
  next?: {
    kind: "confirming" | "prerequisite" | "again" | "show" | "evidence_kind" | "keep_going";
    prerequisite: { code: string; title: string } | null;
    cpe: { id: string; label: string; skill: number; of: number } | null;
    level: string | null;
    evidence_kind: string | null;
  } | null;
  last_note: { text: string; by: string; on: string } | null;
  help: { title: string; url: string; provider: string }[];
  image: string | null;
}

export interface FamilySummary {
  child: string;
  earned: FamilyBadge[];
  working: FamilyBadge[];
}
