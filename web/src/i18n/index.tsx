// Languages for the pages families and students see: a message catalog per
// language (en.ts is the reference, es.ts must have every key: its type says
// so), the language in use in a React context, and useT() to read a message
// with {name} placeholders and plural forms ({one, other}, by `count`).
// Staff pages stay English; so does everyone's until their preferences answer.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api } from "../lib/api";
import { useAuth } from "../lib/auth";
import { kindLabel, setFormatLocale } from "../lib/format";
import type { Role } from "../lib/types";
import { en, type Catalog, type MessageKey } from "./en";
import { es } from "./es";

export type Lang = "en" | "es";
export const LANGUAGES: { code: Lang; name: string }[] = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
];
const CATALOGS: Record<Lang, Catalog> = { en, es };
const LOCALES: Record<Lang, string> = { en: "en-US", es: "es-US" };

export interface Preferences {
  language: Lang | null;
  email: "immediate" | "digest" | "off";
  effective_language: Lang;
  district_language: Lang;
  languages: { code: Lang; name: string }[];
}

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

/** Roles whose pages speak the person's language; staff pages are English. */
export function translatedRole(role: Role | undefined): boolean {
  return role === "student" || role === "guardian";
}

// The language this device last showed, for the sign-in page and the
// moment before a signed-in person's preferences answer.
const STORAGE_KEY = "cairn.language";
function remembered(): Lang {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLang(value) ? value : "en";
  } catch {
    return "en";
  }
}
function remember(lang: Lang): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice still holds on the server
  }
}

interface I18nState {
  lang: Lang;
  t: T;
  /** The signed-in person's preferences, once they answered (families and students only). */
  preferences: Preferences | null;
  /** Saves the person's language (null: the district's default) and switches to it. */
  setLanguage: (language: Lang | null) => Promise<void>;
  /** Switches the sign-in page's language on this device only. */
  setDeviceLanguage: (language: Lang) => void;
}

const I18nContext = createContext<I18nState | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const { me, status } = useAuth();
  const [device, setDevice] = useState<Lang>(remembered);
  const [preferences, setPreferences] = useState<Preferences | null>(null);
  const [failed, setFailed] = useState(false);
  const translated = translatedRole(me?.role);
  const personId = me?.id;

  useEffect(() => {
    setPreferences(null);
    setFailed(false);
    if (status !== "signed-in" || !translated) return;
    let live = true;
    api
      .get<Preferences>("/api/v1/me/preferences")
      .then((p) => {
        if (live) setPreferences(p);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [status, personId, translated]);

  let lang: Lang;
  if (status !== "signed-in") lang = device;
  else if (!translated) lang = "en";
  else if (preferences && isLang(preferences.effective_language)) lang = preferences.effective_language;
  else lang = failed ? "en" : device;
  setFormatLocale(LOCALES[lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    if (status === "signed-in" && translated && preferences) {
      remember(lang);
      setDevice(lang);
    }
  }, [lang, status, translated, preferences]);

  const setLanguage = useCallback(async (language: Lang | null) => {
    const saved = await api.put<Preferences>("/api/v1/me/preferences", { language });
    setPreferences(saved);
  }, []);
  const setDeviceLanguage = useCallback((language: Lang) => {
    remember(language);
    setDevice(language);
  }, []);

  const value = useMemo<I18nState>(
    () => ({ lang, t: (key, vars) => translate(lang, key, vars), preferences, setLanguage, setDeviceLanguage }),
    [lang, preferences, setLanguage, setDeviceLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

const fallback: I18nState = {
  lang: "en",
  t: (key, vars) => translate("en", key, vars),
  preferences: null,
  setLanguage: async () => {},
  setDeviceLanguage: () => {},
};

export function useI18n(): I18nState {
  return useContext(I18nContext) ?? fallback;
}

/** The message function of the language in use. */
export function useT(): T {
  return useI18n().t;
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

const KIND_LABELS: Record<string, MessageKey> = {
  formative: "kind.formative",
  summative: "kind.summative",
  performance_task: "kind.performance_task",
  portfolio_item: "kind.portfolio_item",
  external_assessment: "kind.external_assessment",
  outside_school: "kind.outside_school",
};

/** An evidence kind's name ("Performance task") in the language of `t`. */
export function evidenceKindLabel(t: T, kind: string): string {
  const key = KIND_LABELS[kind];
  return key ? t(key) : kindLabel(kind);
}
