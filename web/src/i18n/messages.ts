// The pure half of the languages: catalogs, translate() and the family's
// next-step sentence. No React, so scripts/check-i18n.mjs can run it.
import { en, type Catalog, type MessageKey } from "./en";
import { es } from "./es";

export type { MessageKey } from "./en";

export type Lang = "en" | "es";
export const LANGUAGES: { code: Lang; name: string }[] = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
];
const CATALOGS: Record<Lang, Catalog> = { en, es };
export const LOCALES: Record<Lang, string> = { en: "en-US", es: "es-US" };

export type Vars = Record<string, string | number>;
export type T = (key: MessageKey, vars?: Vars) => string;

export function isLang(value: unknown): value is Lang {
  return value === "en" || value === "es";
}

/** The message `key` in `lang`, its {placeholders} filled from `vars`. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const entry = CATALOGS[lang][key] ?? en[key];
  let text: string;
  if (typeof entry === "string") text = entry;
  else {
    const count = Number(vars?.count ?? 0);
    const form = new Intl.PluralRules(LOCALES[lang]).select(count);
    text = (form === "one" ? entry.one : entry.other) ?? entry.other;
  }
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** What the server says a family should do next on a badge, to be told in any language. */
export interface NextStep {
  kind: "confirming" | "prerequisite" | "again" | "show" | "evidence_kind" | "keep_going";
  prerequisite: { code: string; title: string } | null;
  cpe: { id: string; label: string; skill: number; of: number } | null;
  level: string | null;
  evidence_kind: string | null;
}

const PLAIN_KINDS: Record<string, MessageKey> = {
  formative: "next.kind.formative",
  summative: "next.kind.summative",
  performance_task: "next.kind.performance_task",
  portfolio_item: "next.kind.portfolio_item",
  external_assessment: "next.kind.external_assessment",
  outside_school: "next.kind.outside_school",
};

/**
 * The family's next-step sentence for a badge in the language of `t`; the
 * server's English `fallback` when the structured step is missing or not
 * one this page knows.
 */
export function nextStepSentence(t: T, badge: { code: string; next?: NextStep | null; next_step: string }, child: string): string {
  const n = badge.next;
  if (!n) return badge.next_step;
  switch (n.kind) {
    case "confirming":
      return t("next.confirming", { child });
    case "prerequisite":
      return n.prerequisite ? t("next.prerequisite", { title: n.prerequisite.title }) : badge.next_step;
    case "again":
      return n.cpe ? t("next.again", { label: n.cpe.label, code: badge.code, skill: n.cpe.skill, of: n.cpe.of }) : badge.next_step;
    case "show":
      return n.cpe && n.level ? t("next.show", { level: n.level, label: n.cpe.label, code: badge.code, skill: n.cpe.skill, of: n.cpe.of }) : badge.next_step;
    case "evidence_kind": {
      const key = n.evidence_kind ? PLAIN_KINDS[n.evidence_kind] : undefined;
      return key ? t("next.evidence_kind", { kind: t(key) }) : badge.next_step;
    }
    case "keep_going":
      return t("next.keep_going");
    default:
      return badge.next_step;
  }
}

