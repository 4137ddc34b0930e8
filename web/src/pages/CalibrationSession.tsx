// One calibration session: blind rating of anonymized items, then (after the
// leader reveals) everybody's ratings side by side with agreement figures and
// the discussion notes.
import { useMemo, useState, type FormEvent } from "react";
import { api, errorMessage } from "../lib/api";
import { isLeader, useMe } from "../lib/auth";
import { findBadge, scaleOf, useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { calibrationFiles, kappaText, percentText, type CalibrationDetail, type CalibrationItem } from "../lib/portfolio";
import type { CatalogBadge, ScaleLevel } from "../lib/types";
import { ErrorNotice, Field, LevelChip, LiveMessage, PageHeader, ProgressBar, Spinner } from "../components/ui";
import { AnonymousWork } from "../components/portfolio/ArtifactViewer";
import { CALIBRATION_STATE_LABELS } from "./Calibration";

export function CalibrationSessionPage({ id }: { id: string }) {
  const me = useMe();
  const { catalog } = useCatalog();
  const { data: c, error, reload, setData } = useApi<CalibrationDetail>(`/api/v1/calibrations/${encodeURIComponent(id)}`);
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState("");
  useDocumentTitle(c?.title ?? "Calibration");

  const badge = findBadge(catalog, c?.badge ?? "");
  const levels = scaleOf(catalog, badge)?.levels ?? [];
  const owner = c ? (c.created_by ? c.created_by.id === me.id : isLeader(me.role)) : false;
  const rater = c ? (c.raters ? c.raters.some((r) => r.id === me.id) : true) : false;
  const total = (c?.items.length ?? 0) * (c?.cpes.length ?? 0);
  const done = c ? Object.keys(c.my_ratings ?? {}).length : 0;

  async function send(kind: string, body: Record<string, unknown> = {}, ok?: string) {
    setBusy(kind);
    setMessage(null);
    try {
      const next = await api.post<CalibrationDetail | undefined>(`/api/v1/calibrations/${encodeURIComponent(id)}/events`, { kind, ...body });
      if (next && typeof next === "object" && "items" in next) setData(next);
      else await reload();
      if (ok) setMessage({ text: ok, tone: "success" });
      return true;
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
      return false;
    } finally {
      setBusy(null);
    }
  }

  async function rate(item: number, cpe: string, level: string) {
    const key = `${item}/${cpe}`;
    const before = c?.my_ratings[key];
    setData((old) => (old ? { ...old, my_ratings: { ...old.my_ratings, [key]: level } } : old));
    try {
      await api.post(`/api/v1/calibrations/${encodeURIComponent(id)}/events`, { kind: "rating", item, cpe, level });
    } catch (e) {
      setData((old) => {
        if (!old) return old;
        const mine = { ...old.my_ratings };
        if (before) mine[key] = before;
        else delete mine[key];
        return { ...old, my_ratings: mine };
      });
      setMessage({ text: errorMessage(e), tone: "error" });
    }
  }

  async function addNote(e: FormEvent) {
    e.preventDefault();
    if (!note.trim()) return;
    if (await send("note", { note: note.trim() }, "Note added.")) setNote("");
  }

  if (error !== undefined && !c) return <div className="page"><ErrorNotice error={error} title="This session could not be loaded" onRetry={reload} /></div>;
  if (!c) return <div className="page"><Spinner /></div>;

  return (
    <div className="page page-wide">
      <PageHeader
        crumbs={[{ to: "/calibration", label: "Calibration" }]}
        title={c.title}
        subtitle={
          <>
            <span className="code">{c.badge}</span> {badge?.title ?? ""} · {c.items.length} items · CPEs {c.cpes.join(", ")}
          </>
        }
        actions={<span className={`calib-state calib-${c.state}`}>{CALIBRATION_STATE_LABELS[c.state]}</span>}
      />
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}

      {c.state === "rating" && (
        <>
          <div className="card calib-progress">
            {rater ? (
              <>
                <p>
                  <strong>
                    You rated {done} of {total}.
                  </strong>{" "}
                  Rate each piece on its own; nobody sees anyone's ratings until the leader reveals them. You can change a rating until then.
                </p>
                <ProgressBar value={done} max={total} label="Your ratings" />
              </>
            ) : (
              <p>You are not a rater in this session.</p>
            )}
            {owner && (
              <div className="calib-owner">
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={busy !== null}
                  onClick={() => {
                    if (window.confirm("Reveal everybody's ratings? Raters cannot change their ratings after this.")) void send("reveal", {}, "Ratings revealed.");
                  }}
                >
                  Reveal ratings
                </button>
              </div>
            )}
          </div>
          {rater && (
            <ol className="calib-items">
              {c.items.map((it) => (
                <ItemCard key={it.item} session={c} item={it} badge={badge} levels={levels} onRate={rate} />
              ))}
            </ol>
          )}
        </>
      )}

      {c.state !== "rating" && (
        <>
          <Agreement c={c} levels={levels} badge={badge} />
          <RatingsTable c={c} levels={levels} />
          <section aria-labelledby="notes-title">
            <h2 id="notes-title" className="section-title">
              Discussion notes
            </h2>
            <div className="card">
              {(c.notes ?? []).length === 0 ? (
                <p className="muted small">No notes yet.</p>
              ) : (
                <ol className="thread">
                  {(c.notes ?? []).map((n, i) => (
                    <li key={i} className="thread-item">
                      <div className="thread-head">
                        <strong>{n.author.name}</strong> <span className="small muted">{formatDate(n.at)}</span>
                      </div>
                      <p className="thread-msg">{n.note}</p>
                    </li>
                  ))}
                </ol>
              )}
              {c.state === "revealed" && (
                <form onSubmit={addNote} className="note-form">
                  <Field id="calib-note" label="Add a note" hint="Where did you differ, and what does proficient look like for this CPE?">
                    {(f) => <textarea {...f} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
                  </Field>
                  <div className="form-actions">
                    {owner && (
                      <button
                        type="button"
                        className="btn btn-ghost"
                        disabled={busy !== null}
                        onClick={() => {
                          if (window.confirm("Close the session? Notes can no longer be added.")) void send("close", {}, "Session closed.");
                        }}
                      >
                        Close session
                      </button>
                    )}
                    <button type="submit" className="btn btn-primary" disabled={busy !== null || !note.trim()}>
                      Add note
                    </button>
                  </div>
                </form>
              )}
            </div>
          </section>
          <details className="calib-work">
            <summary>Show the work again</summary>
            <ol className="calib-items">
              {c.items.map((it) => (
                <ItemCard key={it.item} session={c} item={it} badge={badge} levels={levels} />
              ))}
            </ol>
          </details>
        </>
      )}
    </div>
  );
}

function ItemCard({ session, item, badge, levels, onRate }: { session: CalibrationDetail; item: CalibrationItem; badge: CatalogBadge | undefined; levels: ScaleLevel[]; onRate?: (item: number, cpe: string, level: string) => void }) {
  const source = useMemo(() => calibrationFiles(session.id, item.item), [session.id, item.item]);
  return (
    <li className="card calib-item" data-item={item.item}>
      <h2 className="section-title inline">Item {item.item}</h2>
      <AnonymousWork work={item.work} source={source} label={`Files of item ${item.item}`} idPrefix={`it${item.item}`} />
      {onRate && (
        <div className="calib-rate">
          {session.cpes.map((cpe) => {
            const key = `${item.item}/${cpe}`;
            const chosen = session.my_ratings[key];
            const cpeInfo = badge?.cpes.find((x) => x.id === cpe);
            return (
              <fieldset key={cpe} className="fieldset level-radios" data-cpe={cpe}>
                <legend>
                  Item {item.item}: <span className="code code-sm">{cpe}</span> {cpeInfo?.label ?? ""}
                </legend>
                <div className="radio-row">
                  {levels.map((l) => (
                    <label key={l.id} className={chosen === l.id ? "radio-pill is-on" : "radio-pill"} title={l.description}>
                      <input type="radio" name={`r-${key}`} value={l.id} checked={chosen === l.id} onChange={() => onRate(item.item, cpe, l.id)} />
                      <span>{l.label}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            );
          })}
        </div>
      )}
    </li>
  );
}

function Agreement({ c, levels, badge }: { c: CalibrationDetail; levels: ScaleLevel[]; badge: CatalogBadge | undefined }) {
  void levels;
  const rows = c.agreement ?? [];
  return (
    <section aria-labelledby="agree-title">
      <h2 id="agree-title" className="section-title">
        Agreement
      </h2>
      <div className="card flush table-scroll">
        <table className="table agreement-table">
          <caption className="sr-only">Agreement between raters, by CPE</caption>
          <thead>
            <tr>
              <th scope="col">CPE</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col" className="num">
                Raters
              </th>
              <th scope="col" className="num">
                Exact agreement
              </th>
              <th scope="col" className="num">
                Within one level
              </th>
              <th scope="col" className="num">
                Cohen's κ
              </th>
              <th scope="col" className="num">
                Fleiss' κ
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.cpe} data-cpe={r.cpe}>
                <th scope="row">
                  <span className="code code-sm">{r.cpe}</span> <span className="small">{badge?.cpes.find((x) => x.id === r.cpe)?.label ?? ""}</span>
                </th>
                <td className="num">{r.items}</td>
                <td className="num">{r.raters}</td>
                <td className="num">{percentText(r.exact_percent)}</td>
                <td className="num">{percentText(r.adjacent_percent)}</td>
                <td className="num">{kappaText(r.cohen_kappa)}</td>
                <td className="num">
                  {kappaText(r.fleiss_kappa)}
                  {r.fleiss_reason && <span className="block small muted">{r.fleiss_reason}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">Exact agreement: pairs of raters who chose the same level. κ (kappa) discounts the agreement expected by chance: 1 is perfect, 0 is chance level.</p>
    </section>
  );
}

function RatingsTable({ c, levels }: { c: CalibrationDetail; levels: ScaleLevel[] }) {
  const ratings = c.ratings ?? [];
  const raters = [...new Set(ratings.map((r) => r.rater.name))];
  const at = (item: number, cpe: string, rater: string) => ratings.find((r) => r.item === item && r.cpe === cpe && r.rater.name === rater)?.level;
  return (
    <section aria-labelledby="side-title">
      <h2 id="side-title" className="section-title">
        Ratings side by side
      </h2>
      <div className="card flush table-scroll">
        <table className="table ratings-table">
          <caption className="sr-only">Every rater's level for each item and CPE</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">CPE</th>
              {raters.map((r) => (
                <th scope="col" key={r}>
                  {r}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.items.flatMap((it) =>
              c.cpes.map((cpe) => {
                const levelsHere = raters.map((r) => at(it.item, cpe, r));
                const same = levelsHere.every((l) => l && l === levelsHere[0]);
                return (
                  <tr key={`${it.item}/${cpe}`} className={same ? "agree" : undefined}>
                    <th scope="row">Item {it.item}</th>
                    <td>
                      <span className="code code-sm">{cpe}</span>
                      {same && <span className="small muted"> · all agree</span>}
                    </td>
                    {raters.map((r, i) => (
                      <td key={r}>{levelsHere[i] ? <LevelChip levels={levels} level={levelsHere[i]} size="sm" /> : <span className="muted small">not rated</span>}</td>
                    ))}
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
