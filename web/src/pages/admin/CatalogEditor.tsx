import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { api, ApiError, apiErrorOf, csrfHeader, errorMessage } from "../../lib/api";
import { loadCatalog } from "../../lib/catalog";
import { useDocumentTitle } from "../../lib/hooks";
import { EVIDENCE_KINDS, plural } from "../../lib/format";
import type { AwardRule, Catalog, CatalogBadge, Cpe, ScaleLevel } from "../../lib/types";
import { ErrorNotice, Field, LiveMessage, PageHeader, Spinner, WholeNumberInput } from "../../components/ui";

type Selection = { kind: "badge"; code: string } | { kind: "scales" } | { kind: "pathways" };
interface PathError {
  path: string;
  message: string;
}

function strip(c: Catalog): Catalog {
  const copy = structuredClone(c);
  delete copy.catalog_version; // GET adds it; the catalog format does not allow it
  return copy;
}

/** "api upload: $.badges[1].title: must not be empty" lines → {path, message}. */
function parseErrors(message: string): PathError[] {
  return message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /(\$[^\s:]*):\s*(.*)$/.exec(line);
      return m ? { path: m[1], message: m[2] } : { path: "", message: line.replace(/^api upload:\s*/, "") };
    });
}

export function CatalogEditorPage() {
  useDocumentTitle("Catalog");
  const [original, setOriginal] = useState<Catalog | null>(null);
  const [draft, setDraft] = useState<Catalog | null>(null);
  const [version, setVersion] = useState<number | undefined>();
  const [loadError, setLoadError] = useState<unknown>();
  const [selection, setSelection] = useState<Selection>({ kind: "badge", code: "" });
  const [filter, setFilter] = useState("");
  const [errors, setErrors] = useState<PathError[]>([]);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<ReactNode>(null);

  async function load() {
    try {
      const c = await api.get<Catalog>("/api/v1/catalog");
      setVersion(c.catalog_version);
      setOriginal(strip(c));
      setDraft(strip(c));
      setSelection((s) => (s.kind === "badge" && !s.code ? { kind: "badge", code: c.badges[0]?.code ?? "" } : s));
    } catch (e) {
      setLoadError(e);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const dirty = useMemo(() => draft !== null && JSON.stringify(draft) !== JSON.stringify(original), [draft, original]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  function update(fn: (c: Catalog) => void) {
    setDraft((d) => {
      if (!d) return d;
      const next = structuredClone(d);
      fn(next);
      return next;
    });
  }

  async function save() {
    if (!draft) return;
    setSaving(true);
    setErrors([]);
    setMessage(null);
    try {
      const result = await api.put<{ catalog_version: number }>("/api/v1/catalog", draft);
      setMessage(<p>Saved. Catalog version {result.catalog_version} is now in force.</p>);
      setVersion(result.catalog_version);
      setOriginal(structuredClone(draft));
      void loadCatalog(true);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) setErrors(parseErrors(e.message));
      else setErrors([{ path: "", message: errorMessage(e) }]);
    } finally {
      setSaving(false);
    }
  }

  if (loadError !== undefined) return <div className="page"><ErrorNotice error={loadError} /></div>;
  if (!draft) return <div className="page"><Spinner label="Loading the catalog…" /></div>;

  const badgeIndex = selection.kind === "badge" ? draft.badges.findIndex((b) => b.code === selection.code) : -1;
  const errorsAt = (prefix: string) => errors.filter((e) => e.path === prefix || e.path.startsWith(prefix + ".") || e.path.startsWith(prefix + "["));
  const q = filter.trim().toLowerCase();
  const groups = new Map<string, CatalogBadge[]>();
  for (const b of draft.badges) {
    if (q && !`${b.code} ${b.title}`.toLowerCase().includes(q)) continue;
    const g = b.grouping || "Other";
    groups.set(g, [...(groups.get(g) ?? []), b]);
  }
  const describePath = (path: string): string => {
    const m = /^\$\.badges\[(\d+)\](.*)$/.exec(path);
    if (m) return `Badge ${draft.badges[Number(m[1])]?.code ?? m[1]} ${m[2].replace(/^\./, "› ").replace(/\./g, " › ")}`;
    const s = /^\$\.scales\[(\d+)\](.*)$/.exec(path);
    if (s) return `Scale ${draft.scales[Number(s[1])]?.id ?? s[1]} ${s[2].replace(/^\./, "› ").replace(/\./g, " › ")}`;
    return path;
  };
  const selectPath = (path: string) => {
    const m = /^\$\.badges\[(\d+)\]/.exec(path);
    if (m && draft.badges[Number(m[1])]) setSelection({ kind: "badge", code: draft.badges[Number(m[1])].code });
    else if (path.startsWith("$.scales")) setSelection({ kind: "scales" });
    else if (path.startsWith("$.pathways")) setSelection({ kind: "pathways" });
  };

  return (
    <div className="page page-wide">
      <PageHeader
        title="Catalog"
        subtitle={`${draft.framework.title}${draft.framework.version ? ` (${draft.framework.version})` : ""} · version ${version ?? "?"} in force · ${draft.badges.length} badges`}
      />
      {message && <LiveMessage message={message} onDismiss={() => setMessage(null)} />}
      {errors.length > 0 && (
        <div className="notice notice-error" role="alert">
          <strong>The catalog was not saved. Fix {errors.length === 1 ? "this problem" : `these ${errors.length} problems`}:</strong>
          <ul className="error-list">
            {errors.map((e, i) => (
              <li key={i}>
                {e.path ? (
                  <button type="button" className="linklike" onClick={() => selectPath(e.path)}>
                    <code>{e.path}</code>
                  </button>
                ) : null}{" "}
                {e.path && <span className="muted small">({describePath(e.path)})</span>} {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="editor">
        <nav className="editor-nav card" aria-label="Catalog parts">
          <Field id="badge-filter" label="Find a badge">
            {(f) => <input {...f} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Code or title" />}
          </Field>
          {[...groups.entries()].map(([g, list]) => (
            <div key={g} className="editor-nav-group">
              <p className="editor-nav-heading">{g}</p>
              <ul>
                {list.map((b) => {
                  const i = draft.badges.indexOf(b);
                  const hasErr = errorsAt(`$.badges[${i}]`).length > 0;
                  return (
                    <li key={b.code}>
                      <button
                        type="button"
                        className="editor-nav-item"
                        aria-current={selection.kind === "badge" && selection.code === b.code ? "true" : undefined}
                        onClick={() => setSelection({ kind: "badge", code: b.code })}
                      >
                        <span className="code code-sm">{b.code}</span>
                        <span className="editor-nav-title">{b.title}</span>
                        {hasErr && <span className="err-dot" aria-label="has problems" role="img" />}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
          <div className="editor-nav-group">
            <p className="editor-nav-heading">Framework</p>
            <ul>
              <li>
                <button type="button" className="editor-nav-item" aria-current={selection.kind === "scales" ? "true" : undefined} onClick={() => setSelection({ kind: "scales" })}>
                  Scales and levels
                  {errorsAt("$.scales").length > 0 && <span className="err-dot" aria-label="has problems" role="img" />}
                </button>
              </li>
              <li>
                <button type="button" className="editor-nav-item" aria-current={selection.kind === "pathways" ? "true" : undefined} onClick={() => setSelection({ kind: "pathways" })}>
                  Pathways
                </button>
              </li>
            </ul>
          </div>
        </nav>

        <div className="editor-body">
          {selection.kind === "badge" && badgeIndex >= 0 && (
            <BadgeEditor
              key={draft.badges[badgeIndex].code}
              catalog={draft}
              index={badgeIndex}
              errorAt={(p) => errors.filter((e) => e.path === p).map((e) => e.message).join("; ") || undefined}
              update={update}
            />
          )}
          {selection.kind === "scales" && <ScalesEditor catalog={draft} update={update} errorAt={(p) => errors.filter((e) => e.path === p).map((e) => e.message).join("; ") || undefined} />}
          {selection.kind === "pathways" && (
            <PathwaysEditor
              catalog={draft}
              update={update}
              errorAt={(p) => errors.filter((e) => e.path === p || e.path.startsWith(p + "[")).map((e) => e.message).join("; ") || undefined}
            />
          )}
        </div>
      </div>

      <div className={`savebar${dirty ? " is-dirty" : ""}`} role="region" aria-label="Save changes">
        <span className="savebar-text">{dirty ? "You have unsaved changes." : "No unsaved changes."}</span>
        <button
          type="button"
          className="btn btn-secondary"
          disabled={!dirty || saving}
          onClick={() => {
            setDraft(original ? structuredClone(original) : null);
            setErrors([]);
          }}
        >
          Discard changes
        </button>
        <button type="button" className="btn btn-primary" disabled={!dirty || saving} onClick={save}>
          {saving ? "Saving…" : "Save catalog"}
        </button>
      </div>
    </div>
  );
}

interface EditorProps {
  catalog: Catalog;
  update: (fn: (c: Catalog) => void) => void;
  errorAt: (path: string) => string | undefined;
}

/** `current` with `id` added (on) or removed, in the order of `order`. */
function toggled(current: string[] | undefined, id: string, on: boolean, order: { id: string }[]): string[] {
  const set = new Set(current ?? []);
  if (on) set.add(id);
  else set.delete(id);
  return order.map((x) => x.id).filter((x) => set.has(x));
}

/** A group of checkboxes, one an option, each checked when `chosen` holds it. */
function SubsetChecks({ legend, options, chosen, onToggle }: { legend: string; options: { id: string; label: string }[]; chosen: string[] | undefined; onToggle: (id: string, on: boolean) => void }) {
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      <div className="check-grid">
        {options.map((o) => (
          <label key={o.id} className="check">
            <input type="checkbox" checked={(chosen ?? []).includes(o.id)} onChange={(e) => onToggle(o.id, e.target.checked)} />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function BadgeEditor({ catalog, index, update, errorAt }: EditorProps & { index: number }) {
  const b = catalog.badges[index];
  const p = `$.badges[${index}]`;
  const rule: AwardRule = b.award_rule ?? {};
  const setBadge = (fn: (x: CatalogBadge) => void) => update((c) => fn(c.badges[index]));
  const setRule = (fn: (r: AwardRule) => void) =>
    setBadge((x) => {
      x.award_rule = { ...(x.award_rule ?? {}) };
      fn(x.award_rule);
    });
  const others = catalog.badges.filter((x) => x.code !== b.code && !(b.prerequisites ?? []).includes(x.code));
  const ruleError = errorAt(`${p}.award_rule`);

  return (
    <div className="editor-panel">
      <section className="card" aria-labelledby="badge-editor-title">
        <h2 id="badge-editor-title" className="section-title inline">
          <span className="code">{b.code}</span> Badge
        </h2>
        <div className="form-grid">
          <Field id="badge-title" label="Title" error={errorAt(`${p}.title`)}>
            {(f) => <input {...f} value={b.title} onChange={(e) => setBadge((x) => (x.title = e.target.value))} />}
          </Field>
          <Field id="badge-grouping" label="Grouping" error={errorAt(`${p}.grouping`)} hint="A heading for reports, e.g. Algebra.">
            {(f) => <input {...f} value={b.grouping ?? ""} onChange={(e) => setBadge((x) => (x.grouping = e.target.value))} />}
          </Field>
        </div>
        <Field id="badge-description" label="Description" error={errorAt(`${p}.description`)} hint="A sentence or two for students and families.">
          {(f) => <textarea {...f} rows={3} value={b.description ?? ""} onChange={(e) => setBadge((x) => (x.description = e.target.value))} />}
        </Field>
        <div className="field">
          <span className="label" id="prereq-label">
            Prerequisites
          </span>
          <ul className="chip-editor" aria-labelledby="prereq-label">
            {(b.prerequisites ?? []).length === 0 && <li className="muted small">None</li>}
            {(b.prerequisites ?? []).map((code) => (
              <li key={code} className="chip-removable">
                <span className="code code-sm">{code}</span>
                <button type="button" className="icon-btn icon-btn-sm" aria-label={`Remove prerequisite ${code}`} onClick={() => setBadge((x) => (x.prerequisites = (x.prerequisites ?? []).filter((c) => c !== code)))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <select
            aria-label="Add a prerequisite"
            value=""
            onChange={(e) => {
              const v = e.target.value;
              if (v) setBadge((x) => (x.prerequisites = [...(x.prerequisites ?? []), v]));
            }}
          >
            <option value="">Add a prerequisite…</option>
            {others.map((o) => (
              <option key={o.code} value={o.code}>
                {o.code} {o.title}
              </option>
            ))}
          </select>
          {errorAt(`${p}.prerequisites`) && <p className="field-error">{errorAt(`${p}.prerequisites`)}</p>}
        </div>
      </section>

      <section className="card" aria-labelledby="rule-title">
        <h2 id="rule-title" className="section-title inline">
          Award rule
        </h2>
        <p className="small muted">Every part must hold before Cairn proposes the badge.</p>
        {ruleError && <p className="field-error">{ruleError}</p>}
        <div className="form-grid">
          <Field id="rule-quorum" label="CPEs that must count" error={errorAt(`${p}.award_rule.quorum`)}>
            {(f) => (
              <select
                {...f}
                value={rule.quorum ?? "all"}
                onChange={(e) =>
                  setRule((r) => {
                    r.quorum = e.target.value as AwardRule["quorum"];
                    if (r.quorum === "at_least") r.at_least = r.at_least ?? Math.max(1, b.cpes.length - 1);
                    else delete r.at_least;
                  })
                }
              >
                <option value="all">All CPEs</option>
                <option value="majority">A majority of CPEs</option>
                <option value="at_least">At least a number of CPEs</option>
              </select>
            )}
          </Field>
          {rule.quorum === "at_least" && (
            <Field id="rule-at-least" label={`How many (1 to ${b.cpes.length})`} error={errorAt(`${p}.award_rule.at_least`)}>
              {(f) => <WholeNumberInput {...f} min={1} max={b.cpes.length} value={rule.at_least} onChange={(v) => setRule((r) => (v === undefined ? delete r.at_least : (r.at_least = v)))} />}
            </Field>
          )}
          <Field id="rule-min-evidence" label="Evidence needed per CPE" error={errorAt(`${p}.award_rule.min_evidence_per_cpe`)} hint="Default 1.">
            {(f) => <WholeNumberInput {...f} min={1} max={100} value={rule.min_evidence_per_cpe} onChange={(v) => setRule((r) => (v === undefined ? delete r.min_evidence_per_cpe : (r.min_evidence_per_cpe = v)))} />}
          </Field>
        </div>
        <SubsetChecks
          legend="Evidence kinds needed at mastery"
          options={EVIDENCE_KINDS}
          chosen={rule.required_evidence_kinds}
          onToggle={(id, on) => setRule((r) => (r.required_evidence_kinds = toggled(r.required_evidence_kinds, id, on, EVIDENCE_KINDS)))}
        />
        <SubsetChecks
          legend="CPEs that must always count"
          options={b.cpes.map((c) => ({ id: c.id, label: c.id }))}
          chosen={rule.required_cpes}
          onToggle={(id, on) =>
            setRule((r) => {
              r.required_cpes = toggled(r.required_cpes, id, on, b.cpes);
              if (!r.required_cpes.length) delete r.required_cpes;
            })
          }
        />
        <label className="check">
          <input type="checkbox" checked={rule.prerequisites_earned ?? true} onChange={(e) => setRule((r) => (r.prerequisites_earned = e.target.checked))} />
          Prerequisites must be earned first
        </label>
      </section>

      <section className="card" aria-labelledby="cpes-edit-title">
        <h2 id="cpes-edit-title" className="section-title inline">
          CPEs <span className="count">{b.cpes.length}</span>
        </h2>
        <ol className="cpe-edit-list">
          {b.cpes.map((c, ci) => (
            <li key={c.id}>
              <fieldset className="fieldset">
                <legend>
                  <span className="code code-sm">{c.id}</span> {c.label}
                </legend>
                <div className="form-grid">
                  <Field id={`cpe-${ci}-label`} label={`Label of ${c.id}`} error={errorAt(`${p}.cpes[${ci}].label`)}>
                    {(f) => <input {...f} value={c.label} onChange={(e) => setBadge((x) => (x.cpes[ci].label = e.target.value))} />}
                  </Field>
                  <Field id={`cpe-${ci}-kind`} label={`Kind of ${c.id}`} error={errorAt(`${p}.cpes[${ci}].kind`)}>
                    {(f) => (
                      <select {...f} value={c.kind ?? "content"} onChange={(e) => setBadge((x) => (x.cpes[ci].kind = e.target.value as "content" | "practice"))}>
                        <option value="content">Content</option>
                        <option value="practice">Practice</option>
                      </select>
                    )}
                  </Field>
                </div>
                <Field id={`cpe-${ci}-code`} label={`Code of ${c.id}`} error={errorAt(`${p}.cpes[${ci}].code`)} hint="The guide's short code, e.g. 101a; shown beside the id. Optional, unique within the badge.">
                  {(f) => (
                    <input
                      {...f}
                      value={c.code ?? ""}
                      onChange={(e) =>
                        setBadge((x) => {
                          if (e.target.value) x.cpes[ci].code = e.target.value;
                          else delete x.cpes[ci].code;
                        })
                      }
                    />
                  )}
                </Field>
                <Field id={`cpe-${ci}-statement`} label={`Statement of ${c.id}`} error={errorAt(`${p}.cpes[${ci}].statement`)}>
                  {(f) => <textarea {...f} rows={3} value={c.statement ?? ""} onChange={(e) => setBadge((x) => (x.cpes[ci].statement = e.target.value))} />}
                </Field>
                {(c.indicators?.length ?? 0) > 0 && (
                  <fieldset className="fieldset">
                    <legend>Indicators of {c.id}</legend>
                    <p className="small muted">Ids are kept with every rating, so only codes and labels are edited here.</p>
                    {c.indicators!.map((ind, ii) => (
                      <div className="form-grid" key={ind.id}>
                        <Field id={`cpe-${ci}-ind-${ii}-code`} label={`Code of indicator ${ind.id}`} error={errorAt(`${p}.cpes[${ci}].indicators[${ii}].code`)} hint="e.g. i, ii. Optional, unique within the CPE.">
                          {(f) => (
                            <input
                              {...f}
                              value={ind.code ?? ""}
                              onChange={(e) =>
                                setBadge((x) => {
                                  const target = x.cpes[ci].indicators![ii];
                                  if (e.target.value) target.code = e.target.value;
                                  else delete target.code;
                                })
                              }
                            />
                          )}
                        </Field>
                        <Field id={`cpe-${ci}-ind-${ii}-label`} label={`Label of indicator ${ind.id}`} error={errorAt(`${p}.cpes[${ci}].indicators[${ii}].label`)}>
                          {(f) => <input {...f} value={ind.label} onChange={(e) => setBadge((x) => (x.cpes[ci].indicators![ii].label = e.target.value))} />}
                        </Field>
                      </div>
                    ))}
                  </fieldset>
                )}
                <LevelDescriptionsEditor
                  cpe={c}
                  idPrefix={`cpe-${ci}`}
                  levels={scaleLevels(catalog, b)}
                  errorAt={(level) => errorAt(`${p}.cpes[${ci}].level_descriptions.${level}`)}
                  onChange={(level, text) =>
                    setBadge((x) => {
                      const d = { ...(x.cpes[ci].level_descriptions ?? {}) };
                      if (text) d[level] = text;
                      else delete d[level];
                      if (Object.keys(d).length) x.cpes[ci].level_descriptions = d;
                      else delete x.cpes[ci].level_descriptions;
                    })
                  }
                />
                <CpeStandards cpe={c} />
              </fieldset>
            </li>
          ))}
        </ol>
      </section>
      <CrosswalkCsv />
    </div>
  );
}

function ScalesEditor({ catalog, update, errorAt }: EditorProps) {
  return (
    <div className="editor-panel">
      {catalog.scales.map((s, si) => (
        <section key={s.id} className="card" aria-labelledby={`scale-${si}-title`}>
          <h2 id={`scale-${si}-title`} className="section-title inline">
            Scale <span className="code code-sm">{s.id}</span>
          </h2>
          <Field id={`scale-${si}-title-input`} label={`Name of scale ${s.id}`} error={errorAt(`$.scales[${si}].title`)}>
            {(f) => <input {...f} value={s.title ?? ""} onChange={(e) => update((c) => (c.scales[si].title = e.target.value))} />}
          </Field>
          <p className="small muted">Level ids and scores are stored with every rating, so only labels and descriptions are edited here.</p>
          <ol className="level-edit-list">
            {s.levels.map((l, li) => (
              <li key={l.id}>
                <fieldset className="fieldset">
                  <legend>
                    <span className="code code-sm">{l.id}</span> score {l.score}
                    {l.mastery ? " · mastery" : ""}
                  </legend>
                  <Field id={`scale-${si}-level-${li}-label`} label={`Label of level ${l.id} (${s.id})`} error={errorAt(`$.scales[${si}].levels[${li}].label`)}>
                    {(f) => <input {...f} value={l.label} onChange={(e) => update((c) => (c.scales[si].levels[li].label = e.target.value))} />}
                  </Field>
                  <Field id={`scale-${si}-level-${li}-desc`} label={`What ${l.id} work looks like (${s.id})`} error={errorAt(`$.scales[${si}].levels[${li}].description`)}>
                    {(f) => <textarea {...f} rows={3} value={l.description ?? ""} onChange={(e) => update((c) => (c.scales[si].levels[li].description = e.target.value))} />}
                  </Field>
                </fieldset>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

// Keeps the typed text (with its spaces) while the catalog gets the codes.
function BadgeListField({ id, label, initial, onChange, error }: { id: string; label: string; initial: string[]; onChange: (codes: string[]) => void; error?: string }) {
  const [text, setText] = useState(initial.join(" "));
  return (
    <Field id={id} label={label} error={error}>
      {(f) => (
        <input
          {...f}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            onChange(e.target.value.split(/[\s,]+/).filter(Boolean));
          }}
        />
      )}
    </Field>
  );
}

function PathwaysEditor({ catalog, update, errorAt }: EditorProps) {
  return (
    <div className="editor-panel">
      <p className="small muted">A pathway lists badges in the order students usually take them. Badge codes are separated by spaces or commas; the server checks that each exists.</p>
      {(catalog.pathways ?? []).map((p, pi) => (
        <section key={p.id} className="card" aria-labelledby={`pw-${pi}-title`}>
          <h2 id={`pw-${pi}-title`} className="section-title inline">
            Pathway <span className="code code-sm">{p.id}</span> {p.example && <span className="pill">example</span>}
          </h2>
          <Field id={`pw-${pi}-name`} label={`Title of pathway ${p.id}`} error={errorAt(`$.pathways[${pi}].title`)}>
            {(f) => <input {...f} value={p.title} onChange={(e) => update((c) => (c.pathways![pi].title = e.target.value))} />}
          </Field>
          <Field id={`pw-${pi}-desc`} label={`Description of pathway ${p.id}`} error={errorAt(`$.pathways[${pi}].description`)}>
            {(f) => <textarea {...f} rows={3} value={p.description ?? ""} onChange={(e) => update((c) => (c.pathways![pi].description = e.target.value))} />}
          </Field>
          <BadgeListField
            id={`pw-${pi}-badges`}
            label={`Badges of pathway ${p.id}, in order`}
            initial={p.badges}
            onChange={(codes) => update((c) => (c.pathways![pi].badges = codes))}
            error={errorAt(`$.pathways[${pi}].badges`)}
          />
          <label className="check">
            <input type="checkbox" checked={!!p.example} onChange={(e) => update((c) => (c.pathways![pi].example = e.target.checked))} />
            An example the district is still adapting
          </label>
          <ol className="pathway-steps" aria-label={`Badges of ${p.title}`}>
            {p.badges.map((code, i) => (
              <li key={code + i}>
                <span className="code code-sm">{code}</span> {catalog.badges.find((b) => b.code === code)?.title ?? "(unknown badge)"}
              </li>
            ))}
          </ol>
        </section>
      ))}
      {(catalog.pathways ?? []).length === 0 && <p className="muted">This catalog has no pathways.</p>}
    </div>
  );
}

function scaleLevels(catalog: Catalog, badge: CatalogBadge): ScaleLevel[] {
  const id = badge.scale ?? catalog.default_scale ?? catalog.scales[0]?.id;
  return (catalog.scales.find((x) => x.id === id) ?? catalog.scales[0])?.levels ?? [];
}

/** One text per level of the badge's scale; empty means the scale's own words apply. */
function LevelDescriptionsEditor({ cpe, idPrefix, levels, errorAt, onChange }: { cpe: Cpe; idPrefix: string; levels: ScaleLevel[]; errorAt: (level: string) => string | undefined; onChange: (level: string, text: string) => void }) {
  const count = Object.keys(cpe.level_descriptions ?? {}).length;
  return (
    <details className="cpe-levels-edit" open={count > 0 || levels.some((l) => errorAt(l.id)) ? true : undefined}>
      <summary>
        What each level looks like for {cpe.code || cpe.id} ({count} of {levels.length} written)
      </summary>
      {levels.map((l) => (
        <Field
          key={l.id}
          id={`${idPrefix}-level-${l.id}`}
          label={`${l.label}: what work at this level looks like for ${cpe.id}`}
          error={errorAt(l.id)}
          hint={l.description ? `Left empty, the scale's words apply: ${l.description}` : undefined}
        >
          {(f) => <textarea {...f} rows={2} value={cpe.level_descriptions?.[l.id] ?? ""} onChange={(e) => onChange(l.id, e.target.value)} />}
        </Field>
      ))}
    </details>
  );
}

// The CASE standards API's shapes (GET /api/v1/frameworks,
// /frameworks/{id}/items?q=, /catalog/cpes/{cpe}/alignments).
interface FrameworkSummary {
  identifier: string;
  title: string;
  version: string;
}
interface FoundItem {
  identifier: string;
  uri: string;
  human_code: string;
  statement: string;
  item_type: string;
  cpes: string[];
  path: string[];
}
interface Alignment {
  item: string;
  current: boolean;
  uri?: string;
  human_code?: string;
  statement?: string;
  framework?: { identifier: string; title: string };
}

/**
 * The crosswalk of one CPE: its aligned standards (CFItems) with their CASE
 * URIs, and a search over an imported framework to link or unlink items.
 * Saved on its own (PUT .../alignments), apart from the catalog.
 */
function CpeStandards({ cpe }: { cpe: Cpe }) {
  const [open, setOpen] = useState(false);
  const [alignments, setAlignments] = useState<Alignment[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [frameworks, setFrameworks] = useState<FrameworkSummary[] | null>(null);
  const [framework, setFramework] = useState("");
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<{ items: FoundItem[]; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [saved, setSaved] = useState("");
  const base = `/api/v1/catalog/cpes/${encodeURIComponent(cpe.id)}/alignments`;
  const idBase = `std-${cpe.id.replace(/[^A-Za-z0-9_-]/g, "-")}`;

  function showAlignments(list: Alignment[]) {
    setAlignments(list);
    setChosen(new Set(list.map((a) => a.item)));
  }

  useEffect(() => {
    if (!open || alignments !== null) return;
    api.get<{ alignments: Alignment[] }>(base).then((r) => showAlignments(r.alignments)).catch((e) => setError(errorMessage(e)));
    api
      .get<{ frameworks: FrameworkSummary[] }>("/api/v1/frameworks")
      .then((r) => {
        setFrameworks(r.frameworks);
        if (r.frameworks[0]) setFramework((f) => f || r.frameworks[0].identifier);
      })
      .catch((e) => setError(errorMessage(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  async function search(e: FormEvent) {
    e.preventDefault();
    if (!framework) return;
    setBusy(true);
    setError("");
    try {
      const r = await api.get<{ items: FoundItem[]; total: number }>(`/api/v1/frameworks/${encodeURIComponent(framework)}/items?q=${encodeURIComponent(query.trim())}&limit=50`);
      setFound(r);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    setBusy(true);
    setError("");
    setSaved("");
    try {
      const r = await api.put<{ alignments: Alignment[]; changes?: { linked: number; unlinked: number } }>(base, { items: [...chosen] });
      showAlignments(r.alignments);
      setSaved(`Saved: ${r.changes?.linked ?? 0} linked, ${r.changes?.unlinked ?? 0} unlinked.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const current = new Set((alignments ?? []).map((a) => a.item));
  const changed = alignments !== null && (chosen.size !== current.size || [...chosen].some((i) => !current.has(i)));
  const toggle = (id: string, on: boolean) =>
    setChosen((c) => {
      const next = new Set(c);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <details className="cpe-standards" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Standards aligned to {cpe.code || cpe.id}</summary>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {alignments === null && !error && <Spinner label="Loading the alignments…" />}
      {alignments !== null && (
        <>
          <h4 className="small">Aligned now</h4>
          {alignments.length === 0 ? (
            <p className="small muted" data-alignments="">No standard is aligned to this CPE.</p>
          ) : (
            <ul className="plain small" data-alignments="">
              {alignments.map((a) => (
                <li key={a.item}>
                  <label className="check">
                    <input type="checkbox" checked={chosen.has(a.item)} onChange={(e) => toggle(a.item, e.target.checked)} />
                    <span className="code code-sm">{a.human_code || a.item}</span> {a.statement ?? "(no longer in a current framework)"}
                  </label>
                  {a.framework && <span className="muted"> · {a.framework.title}</span>}
                  {a.uri && (
                    <>
                      {" · "}
                      <a href={a.uri} className="case-uri">
                        {a.uri}
                      </a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {frameworks !== null && frameworks.length === 0 && <p className="small muted">No CASE framework is imported yet (Standards page, or POST /api/v1/imports/case).</p>}
          {frameworks !== null && frameworks.length > 0 && (
            <form className="std-search" onSubmit={search} role="search" aria-label={`Find standards for ${cpe.id}`}>
              <div className="form-grid">
                <Field id={`${idBase}-framework`} label={`Framework for ${cpe.id}`}>
                  {(f) => (
                    <select {...f} value={framework} onChange={(e) => setFramework(e.target.value)}>
                      {frameworks.map((fw) => (
                        <option key={fw.identifier} value={fw.identifier}>
                          {fw.title}
                          {fw.version ? ` (${fw.version})` : ""}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id={`${idBase}-q`} label={`Search standards for ${cpe.id}`} hint="A code (A-CED) or words of the statement.">
                  {(f) => <input {...f} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}
                </Field>
              </div>
              <button type="submit" className="btn btn-secondary" disabled={busy}>
                Search
              </button>
            </form>
          )}
          {found && (
            <div className="std-results">
              <p className="small muted" aria-live="polite">
                {found.total === 0 ? "No standard matches." : `${found.total} match${found.total === 1 ? "" : "es"}${found.total > found.items.length ? `, first ${found.items.length} shown` : ""}.`}
              </p>
              <ul className="plain small">
                {found.items.map((i) => (
                  <li key={i.identifier}>
                    {i.path.length > 0 && <span className="muted std-path">{i.path.join(" › ")} › </span>}
                    <label className="check">
                      <input type="checkbox" checked={chosen.has(i.identifier)} onChange={(e) => toggle(i.identifier, e.target.checked)} />
                      <span className="code code-sm">{i.human_code || i.item_type || i.identifier}</span> {i.statement}
                    </label>
                    {i.cpes.filter((x) => x !== cpe.id).length > 0 && <span className="muted"> · also {i.cpes.filter((x) => x !== cpe.id).join(", ")}</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="std-actions">
            <button type="button" className="btn btn-primary" disabled={!changed || busy} onClick={save}>
              Save standards for {cpe.id}
            </button>
            {changed && <span className="small muted"> {chosen.size} standard{chosen.size === 1 ? "" : "s"} chosen, not saved yet.</span>}
            {saved && (
              <span className="small" role="status">
                {" "}
                {saved}
              </span>
            )}
          </div>
        </>
      )}
    </details>
  );
}

/** Download and upload of the whole crosswalk as CSV (all or nothing, problems named by line). */
function CrosswalkCsv() {
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ tone: "ok" | "error"; lines: string[] } | null>(null);

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setResult(null);
    try {
      const body = new FormData();
      body.append("file", file, file.name);
      const response = await fetch(`/api/v1/standards/crosswalk.csv${replace ? "?replace=true" : ""}`, { method: "POST", body, headers: { Accept: "application/json", ...csrfHeader() }, credentials: "same-origin" });
      const data: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        const err = apiErrorOf(response.status, data, "The crosswalk was not imported.");
        setResult({ tone: "error", lines: [err.message, ...err.errors.map((x) => `${x.field}: ${x.message}`)] });
      } else {
        const report = data as { rows?: number; changes?: { linked?: number; unlinked?: number; unchanged?: number } } | undefined;
        const c = report?.changes ?? {};
        setResult({ tone: "ok", lines: [`Imported ${plural(report?.rows ?? 0, "row")}: ${c.linked ?? 0} newly linked, ${c.unlinked ?? 0} unlinked, ${c.unchanged ?? 0} already linked.`] });
      }
    } catch (err) {
      setResult({ tone: "error", lines: [errorMessage(err)] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="crosswalk-title">
      <h2 id="crosswalk-title" className="section-title inline">
        Crosswalk as CSV
      </h2>
      <p className="small muted">
        Every CPE ↔ standard link, one per line (badge, cpe, framework, item identifier, human code, statement).{" "}
        <a href="/api/v1/standards/crosswalk.csv" download="crosswalk.csv">
          Download crosswalk.csv
        </a>
      </p>
      <form onSubmit={upload}>
        <Field id="crosswalk-file" label="Upload a crosswalk CSV">
          {(f) => <input {...f} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
          Replace: unlink what the file does not list
        </label>
        <button type="submit" className="btn btn-secondary" disabled={!file || busy}>
          {busy ? "Uploading…" : "Upload crosswalk"}
        </button>
      </form>
      {result && (
        <div className={`notice ${result.tone === "ok" ? "notice-success" : "notice-error"}`} role={result.tone === "ok" ? "status" : "alert"}>
          {result.lines.map((l, i) => (
            <p key={i} className="small">
              {l}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}
