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
import { isLang, LOCALES, translate, type Lang, type MessageKey, type T } from "./messages";

export { isLang, LANGUAGES, nextStepSentence, translate } from "./messages";
export type { Lang, NextStep, T, Vars } from "./messages";

export interface Preferences {
  language: Lang | null;
  email: "immediate" | "digest" | "off";
  effective_language: Lang;
  district_language: Lang;
  languages: { code: Lang; name: string }[];
}

/** Roles whose pages speak the person's language; staff pages are English. */
export function translatedRole(role: Role | undefined): boolean {
  return role === "student" || role === "guardian";
}

// The language this device last showed, for the sign-in and invitation pages.
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
  const translated = translatedRole(me?.role);
  const personId = me?.id;

  useEffect(() => {
    setPreferences(null);
    if (status !== "signed-in" || !translated) return;
    let live = true;
    api
      .get<Preferences>("/api/v1/me/preferences")
      .then((p) => {
        if (live) setPreferences(p);
      })
      .catch(() => {
        // English, as before the answer.
      });
    return () => {
      live = false;
    };
  }, [status, personId, translated]);

  // Signed out: the language this device last showed. Signed in: the
  // person's effective language once their preferences answer, English
  // until then (and for staff).
  let lang: Lang = "en";
  if (status !== "signed-in") lang = device;
  else if (translated && preferences && isLang(preferences.effective_language)) lang = preferences.effective_language;
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
