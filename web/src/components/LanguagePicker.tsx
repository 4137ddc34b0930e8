import { useId, useState } from "react";
import { errorMessage } from "../lib/api";
import { isLang, LANGUAGES, useI18n } from "../i18n";

/**
 * The language a student or family reads Cairn in, saved with their
 * preferences (PUT /api/v1/me/preferences). Labelled in both languages so
 * it can be found whichever one the page is in.
 */
export function LanguagePicker({ onError }: { onError: (message: string | null) => void }) {
  const { lang, preferences, setLanguage, t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const id = useId();
  const languages = preferences?.languages?.filter((l) => isLang(l.code)) ?? LANGUAGES;
  return (
    <span className="language-picker">
      <label htmlFor={id} className="sr-only">
        {t("lang.label")}
      </label>
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
        <path d="M1.5 8h13M8 1.5c2 2 2.8 4.2 2.8 6.5S10 12.5 8 14.5M8 1.5C6 3.5 5.2 5.7 5.2 8S6 12.5 8 14.5" fill="none" stroke="currentColor" strokeWidth="1.2" />
      </svg>
      <select
        id={id}
        // "" is the district's default: the person has not chosen, and a
        // change of the district's language reaches them.
        value={preferences ? (preferences.language ?? "") : lang}
        disabled={busy}
        title={t("lang.label")}
        onChange={async (e) => {
          const value = e.target.value;
          if (value !== "" && !isLang(value)) return;
          setBusy(true);
          onError(null);
          setSaved(false);
          try {
            await setLanguage(value === "" ? null : value);
            setSaved(true);
          } catch (err) {
            onError(t("lang.saveFailed", { message: errorMessage(err) }));
          } finally {
            setBusy(false);
          }
        }}
      >
        {preferences && (
          <option value="">{t("lang.districtDefault", { name: languages.find((l) => l.code === preferences.district_language)?.name ?? preferences.district_language })}</option>
        )}
        {languages.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
      {/* Said in the new language once it is saved. */}
      <span role="status" className="sr-only">
        {saved ? t("lang.saved") : ""}
      </span>
    </span>
  );
}

/** The language of the pages before signing in (sign-in, invitation), kept on this device. */
export function DeviceLanguageSelect() {
  const { t, lang, setDeviceLanguage } = useI18n();
  return (
    <div className="login-language">
      <label htmlFor="login-language">{t("lang.label")}</label>
      <select id="login-language" value={lang} onChange={(e) => isLang(e.target.value) && setDeviceLanguage(e.target.value)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}
