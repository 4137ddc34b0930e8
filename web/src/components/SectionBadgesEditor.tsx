import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { api, ApiError, capitalize, enc, errorMessage } from "../lib/api";
import { useCatalog } from "../lib/catalog";
import type { Section } from "../lib/types";
import { Dialog, ErrorNotice, Spinner } from "./ui";

interface Option {
  code: string;
  title: string;
  known: boolean;
}

/**
 * Which badges a section works on: the catalog's badges as checkboxes (the
 * section's own ticked), saved in the catalog's order with
 * PUT /api/v1/sections/{section}/badges. Problems the server names
 * (`badges[1]`) show next to that badge.
 */
export function SectionBadgesEditor({ section, onClose, onSaved }: { section: Section; onClose: () => void; onSaved: (badges: string[]) => void }) {
  const { catalog, error: catalogError } = useCatalog();
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(section.badges));
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [listError, setListError] = useState("");
  const [formError, setFormError] = useState("");
  const errorRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLFieldSetElement>(null);

  // The catalog's badges in its order, then any code of the section the catalog no longer has.
  const options = useMemo<Option[]>(() => {
    if (!catalog) return [];
    const known = catalog.badges.map((b) => ({ code: b.code, title: b.title, known: true }));
    const codes = new Set(known.map((o) => o.code));
    const unknown = section.badges.filter((c) => !codes.has(c)).map((c) => ({ code: c, title: "Not in the catalog in force", known: false }));
    return [...known, ...unknown];
  }, [catalog, section.badges]);

  // Start on the first badge once the list is there, once: a later catalog
  // refresh must not pull the focus away from where the person is (a key
  // they press would land on the first box).
  const placedFocus = useRef(false);
  useEffect(() => {
    if (!catalog || placedFocus.current) return;
    placedFocus.current = true;
    const list = listRef.current;
    if (list && !list.contains(document.activeElement)) list.querySelector<HTMLInputElement>("input[type=checkbox]")?.focus();
  }, [catalog]);

  const listId = `section-badges-${section.id}`;
  const toggle = (code: string, on: boolean) =>
    setChosen((old) => {
      const next = new Set(old);
      if (on) next.add(code);
      else next.delete(code);
      return next;
    });

  async function save(e: FormEvent) {
    e.preventDefault();
    const badges = options.map((o) => o.code).filter((c) => chosen.has(c));
    setSaving(true);
    setProblems({});
    setListError("");
    setFormError("");
    try {
      const saved = await api.put<{ id: string; title: string; badges: string[] }>(`/api/v1/sections/${enc(section.id)}/badges`, { badges });
      onSaved(saved.badges);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {
        setFormError("You can change the badges only of sections you teach or lead. Nothing was changed.");
      } else if (err instanceof ApiError && err.status === 400 && (err.errors.length > 0 || err.field)) {
        const list = err.errors.length > 0 ? err.errors : [{ field: err.field!, message: err.message }];
        const byCode: Record<string, string> = {};
        const general: string[] = [];
        for (const p of list) {
          const m = /^badges\[(\d+)\]$/.exec(p.field);
          const message = capitalize(p.message.startsWith(p.field + ": ") ? p.message.slice(p.field.length + 2) : p.message);
          const code = m ? badges[Number(m[1])] : undefined;
          if (code !== undefined) byCode[code] = byCode[code] ? `${byCode[code]}; ${message}` : message;
          else general.push(message);
        }
        setProblems(byCode);
        setListError(general.join(" "));
        setFormError(`The badges were not saved. Fix ${list.length === 1 ? "the problem" : `the ${list.length} problems`} marked below.`);
      } else {
        setFormError(errorMessage(err));
      }
      requestAnimationFrame(() => errorRef.current?.focus());
    } finally {
      setSaving(false);
    }
  }

  return (
    <Dialog open title={`Badges of ${section.title}`} onClose={onClose} description={<p>Tick the badges this section works on. The grid and the section's list show them in the catalog's order.</p>}>
      {catalogError !== undefined && <ErrorNotice error={catalogError} title="The catalog could not be loaded" />}
      {!catalog && catalogError === undefined && <Spinner label="Loading the catalog…" />}
      {catalog && (
        <form onSubmit={save} noValidate>
          {formError && (
            <div className="notice notice-error" role="alert" tabIndex={-1} ref={errorRef}>
              <p>{formError}</p>
            </div>
          )}
          <fieldset className={listError || Object.keys(problems).length ? "fieldset has-error" : "fieldset"} ref={listRef} aria-describedby={listError ? `${listId}-err` : undefined}>
            <legend>
              Badges <span className="count">{chosen.size}</span>
            </legend>
            {listError && (
              <p className="field-error" id={`${listId}-err`}>
                {listError}
              </p>
            )}
            <div className="badge-picker">
              {options.map((o) => {
                const problem = problems[o.code];
                const errId = `${listId}-${o.code}-err`;
                return (
                  <div key={o.code} className="badge-pick" data-code={o.code}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={chosen.has(o.code)}
                        onChange={(e) => toggle(o.code, e.target.checked)}
                        aria-invalid={problem ? true : undefined}
                        aria-describedby={problem ? errId : undefined}
                      />
                      <span>
                        <span className="code code-sm">{o.code}</span> {o.known ? o.title : <em>{o.title}</em>}
                      </span>
                    </label>
                    {problem && (
                      <p className="field-error" id={errId}>
                        {problem}
                      </p>
                    )}
                  </div>
                );
              })}
            </div>
          </fieldset>
          <div className="form-actions">
            <button type="button" className="btn btn-secondary" onClick={onClose} disabled={saving}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={saving}>
              {saving ? "Saving…" : "Save badges"}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
