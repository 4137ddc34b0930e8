// What the district aligns around the catalog (issue #11): curriculum
// resources per CPE ("practice and learn"), interim assessment items per
// badge, and the badges a course's new sections start with.

export interface CurriculumResource {
  id: number;
  cpe: string;
  indicator: string;
  title: string;
  url: string;
  provider: string;
  kind: string;
  note: string;
  added_by: string;
  added_at: string;
  can_remove: boolean;
}

export interface BadgeResources {
  badge: string;
  cpes: { cpe: string; label: string; resources: CurriculumResource[] }[];
}

export interface AssessmentItem {
  id: number;
  badge: string;
  item_key: string;
  title: string;
  target: string;
  standards: string[];
  cpe: string;
  indicator: string;
  added_by: string;
  added_at: string;
  can_remove: boolean;
}

export interface CourseBadges {
  id: string;
  title: string;
  badges: string[];
}

/** The link when it is an absolute http(s) URL (the server checks too), else undefined: never a javascript: link. */
export function safeHttpUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
