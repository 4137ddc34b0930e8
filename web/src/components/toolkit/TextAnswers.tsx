// Free-text answers of a round (check-in surveys, discussion prompts), sorted
// and never tied to a person, with the themes the team's leaders tag them
// with (PUT /api/v1/rounds/{round}/themes).
import { useState } from "react";
import { api, enc, errorMessage } from "../../lib/api";
import type { ItemResult } from "../../lib/toolkit";
import { LiveMessage } from "../ui";

type TextItem = ItemResult & { text_themes?: string[][] };

export function TextAnswers({ roundId, items, themes, canTag, onSaved }: { roundId: string; items: TextItem[]; themes: { theme: string; answers: number }[]; canTag: boolean; onSaved: () => void }) {
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  const shown = items.filter((i) => i.kind === "text" && !i.suppressed && (i.texts?.length ?? 0) > 0);
  if (shown.length === 0) return null;

  async function save(item: string, text: string, value: string) {
    setMessage(null);
    const list = value.split(",").map((t) => t.trim()).filter(Boolean);
    try {
      await api.put(`/api/v1/rounds/${enc(roundId)}/themes`, { tags: [{ item, text, themes: list }] });
      setMessage({ text: list.length ? `Tagged: ${list.join(", ")}.` : "Themes cleared.", tone: "success" });
      onSaved();
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
    }
  }

  return (
    <section className="card" aria-labelledby="said">
      <h2 className="section-title" id="said">
        What people said
      </h2>
      <p className="small muted">Answers are sorted, never in the order people gave them, and never show who wrote them.</p>
      {themes.length > 0 && (
        <p className="theme-summary" aria-label="Themes">
          Themes:{" "}
          {themes.map((t) => (
            <span key={t.theme} className="chip theme-chip" data-theme={t.theme}>
              {t.theme} ({t.answers})
            </span>
          ))}
        </p>
      )}
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {shown.map((item) => (
        <div key={item.item} className="text-answers">
          <h3 className="small">{item.prompt}</h3>
          <ul>
            {(item.texts ?? []).map((text, i) => (
              <li key={i} data-answer={i}>
                <p className="pre-wrap">{text}</p>
                {canTag ? (
                  <ThemeInput label={`Themes for answer ${i + 1} to "${item.prompt}"`} initial={(item.text_themes?.[i] ?? []).join(", ")} onSave={(v) => save(item.item, text, v)} />
                ) : (
                  (item.text_themes?.[i]?.length ?? 0) > 0 && <span className="small muted">Themes: {item.text_themes![i].join(", ")}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function ThemeInput({ label, initial, onSave }: { label: string; initial: string; onSave: (value: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <form
      className="theme-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(value);
      }}
    >
      <input aria-label={label} value={value} placeholder="Themes, separated by commas" maxLength={300} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="btn btn-secondary btn-sm">
        Tag
      </button>
    </form>
  );
}
