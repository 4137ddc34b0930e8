import { useEffect, useMemo, useState, type ReactNode } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { loadCatalog } from "../../lib/catalog";
import { useDocumentTitle } from "../../lib/hooks";
import { EVIDENCE_KINDS } from "../../lib/format";
import type { AwardRule, Catalog, CatalogBadge } from "../../lib/types";
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
                <Field id={`cpe-${ci}-statement`} label={`Statement of ${c.id}`} error={errorAt(`${p}.cpes[${ci}].statement`)}>
                  {(f) => <textarea {...f} rows={3} value={c.statement ?? ""} onChange={(e) => setBadge((x) => (x.cpes[ci].statement = e.target.value))} />}
                </Field>
                {(c.indicators?.length ?? 0) > 0 && (
                  <p className="small muted">Indicators: {c.indicators!.map((i) => i.label).join(", ")}</p>
                )}
              </fieldset>
            </li>
          ))}
        </ol>
      </section>
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
