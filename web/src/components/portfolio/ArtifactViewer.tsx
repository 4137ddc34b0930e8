// Shows a version's files: images at full size, PDFs page by page (the
// server renders page images), other files as a card to open. Feedback
// anchored to an area shows as a numbered box over the page; in drawing mode
// a drag marks a new area (fractions of the page, as the API stores them).
import { useT } from "../../i18n";
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import { api } from "../../lib/api";
import { artifactKind, formatSize, frac, type Anchor, type Artifact, type ArtifactSource } from "../../lib/portfolio";
import { FileIcon } from "./bits";

export interface Marker {
  n: number;
  anchor: Anchor;
}

interface Props {
  artifacts: Artifact[];
  source: ArtifactSource;
  markers?: Marker[];
  draw?: { active: boolean; value: Anchor | null; onChange: (a: Anchor | null) => void };
  /** Jump to this file and page (seq changes on every request). */
  focus?: { artifact: number; page: number; seq: number } | null;
  /** Tells the parent which file and page is showing. */
  onView?: (artifact: Artifact | undefined, page: number) => void;
  label: string;
  idPrefix?: string;
}

export function ArtifactViewer({ artifacts, source, markers = [], draw, focus, onView, label, idPrefix = "viewer" }: Props) {
  const t = useT();
  const [index, setIndex] = useState(0);
  const [page, setPage] = useState(1);
  const [pageCount, setPageCount] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const [temp, setTemp] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const current = artifacts[Math.min(index, artifacts.length - 1)];
  const kind = current ? artifactKind(current) : "document";
  const pageNo = kind === "pdf" ? page : 0;

  useEffect(() => {
    if (index >= artifacts.length) setIndex(0);
  }, [artifacts.length, index]);

  useEffect(() => {
    if (!focus) return;
    const i = artifacts.findIndex((a) => a.id === focus.artifact);
    if (i >= 0) {
      setIndex(i);
      if (focus.page > 0) setPage(focus.page);
      frameRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }, [focus?.seq]); // eslint-disable-line react-hooks/exhaustive-deps

  // PDF page count.
  useEffect(() => {
    setFailed(false);
    setPageCount(null);
    if (!current || kind !== "pdf" || !source.pages) return;
    let live = true;
    api
      .get<{ pages: number }>(source.pages(current))
      .then((r) => live && setPageCount(r.pages))
      .catch(() => live && setPageCount(null));
    return () => {
      live = false;
    };
  }, [current?.id, kind]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    onView?.(current, pageNo);
  }, [current?.id, pageNo]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!current) return <p className="muted small">No files in this version.</p>;

  const select = (i: number) => {
    setIndex(i);
    setPage(1);
    setFailed(false);
  };

  const point = (e: ReactPointerEvent) => {
    const r = frameRef.current!.getBoundingClientRect();
    return { x: frac((e.clientX - r.left) / r.width), y: frac((e.clientY - r.top) / r.height) };
  };
  const drawing = !!draw?.active && (kind === "image" || (kind === "pdf" && !!source.page)) && !failed;
  const onDown = (e: ReactPointerEvent) => {
    if (!drawing || e.button !== 0) return;
    e.preventDefault();
    (e.target as Element).setPointerCapture?.(e.pointerId);
    const p = point(e);
    setTemp({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
  };
  const onMove = (e: ReactPointerEvent) => {
    if (!temp) return;
    const p = point(e);
    setTemp({ ...temp, x1: p.x, y1: p.y });
  };
  const onUp = () => {
    if (!temp || !draw) return;
    const x = Math.min(temp.x0, temp.x1);
    const y = Math.min(temp.y0, temp.y1);
    const w = Math.abs(temp.x1 - temp.x0);
    const h = Math.abs(temp.y1 - temp.y0);
    setTemp(null);
    if (w < 0.01 || h < 0.01) return;
    draw.onChange({ artifact: current.id, page: pageNo, x: frac(x), y: frac(y), w: frac(w), h: frac(h) });
  };

  const here = (a: Anchor) => a.artifact === current.id && a.page === pageNo;
  const box = (a: { x: number; y: number; w: number; h: number }) => ({ left: `${a.x * 100}%`, top: `${a.y * 100}%`, width: `${a.w * 100}%`, height: `${a.h * 100}%` });
  const visible = markers.filter((m) => here(m.anchor));

  let stage;
  if (failed || kind === "document" || kind === "text" || (kind === "pdf" && !source.page)) {
    stage = (
      <div className="file-card">
        {kind === "pdf" && !source.page && !failed ? (
          <img className="file-thumb" src={source.thumb(current)} alt={t("viewer.firstPage", { name: current.name })} onError={() => setFailed(true)} />
        ) : (
          <FileIcon kind={kind} />
        )}
        <div>
          <p className="file-name">{current.name}</p>
          <p className="small muted">
            {formatSize(current.size)}
            {failed ? ` · ${t("viewer.noPreview")}` : ""}
          </p>
          <a href={source.file(current)} target="_blank" rel="noopener" className="btn btn-secondary btn-sm">
            {t("viewer.open")}
            <span className="sr-only"> {t("viewer.newTab", { name: current.name })}</span>
          </a>
        </div>
      </div>
    );
  } else {
    const src = kind === "image" ? source.file(current) : source.page!(current, page);
    stage = (
      <div
        className={drawing ? "stage-frame is-drawing" : "stage-frame"}
        ref={frameRef}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={() => setTemp(null)}
        data-artifact={current.id}
        data-page={pageNo}
      >
        <img
          src={src}
          alt={kind === "image" ? t("viewer.studentWork", { name: current.name }) : t("viewer.pageOf", { page, name: current.name })}
          draggable={false}
          onError={() => setFailed(true)}
        />
        {visible.map((m) => (
          <span key={m.n} className="anchor-box" style={box(m.anchor)} role="img" aria-label={t("viewer.feedbackArea", { n: m.n })}>
            <span className="anchor-num" aria-hidden="true">
              {m.n}
            </span>
          </span>
        ))}
        {draw?.value && here(draw.value) && <span className="anchor-box anchor-new" style={box(draw.value)} role="img" aria-label="The area your new feedback marks" />}
        {temp && <span className="anchor-box anchor-new" style={box({ x: Math.min(temp.x0, temp.x1), y: Math.min(temp.y0, temp.y1), w: Math.abs(temp.x1 - temp.x0), h: Math.abs(temp.y1 - temp.y0) })} aria-hidden="true" />}
      </div>
    );
  }

  return (
    <div className="viewer" role="group" aria-label={label}>
      {artifacts.length > 1 && (
        <ul className="viewer-thumbs" aria-label={t("form.files")}>
          {artifacts.map((a, i) => {
            const k = artifactKind(a);
            return (
              <li key={a.id}>
                <button type="button" className="thumb-btn" aria-pressed={i === index} onClick={() => select(i)} id={`${idPrefix}-thumb-${a.id}`}>
                  {k === "image" || k === "pdf" ? <img src={source.thumb(a)} alt="" loading="lazy" onError={(e) => (e.currentTarget.style.visibility = "hidden")} /> : <FileIcon kind={k} />}
                  <span className="thumb-name">{a.name}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="viewer-stage">{stage}</div>
      <div className="viewer-bar">
        <span className="small muted viewer-name">
          {current.name} · {formatSize(current.size)}
        </span>
        {kind === "pdf" && source.page && !failed && (
          <span className="pager">
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setPage((p) => Math.max(1, p - 1))} disabled={page <= 1}>
              {t("viewer.prev")}
            </button>
            <span className="small" aria-live="polite">
              {pageCount ? t("viewer.pageOfCount", { page, count: pageCount }) : t("viewer.page", { page })}
            </span>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setPage((p) => p + 1)} disabled={pageCount !== null && page >= pageCount}>
              {t("viewer.next")}
            </button>
          </span>
        )}
        <a href={source.file(current)} target="_blank" rel="noopener" className="small">
          {t("viewer.original")}
          <span className="sr-only"> {t("viewer.newTab", { name: current.name })}</span>
        </a>
      </div>
    </div>
  );
}

/** Work shown without its author's name (calibration items, exemplars): its files, typed text and link. */
export function AnonymousWork({ work, source, label, idPrefix, clampText }: { work: { text: string; link: string; artifacts: Artifact[] }; source: ArtifactSource; label: string; idPrefix: string; clampText?: boolean }) {
  return (
    <>
      {work.artifacts.length > 0 && <ArtifactViewer artifacts={work.artifacts} source={source} label={label} idPrefix={idPrefix} />}
      {work.text && <div className={clampText ? "work-text clamp" : "work-text"}>{work.text}</div>}
      {work.link && (
        <p className="small">
          <a href={work.link} target="_blank" rel="noopener noreferrer">
            {work.link}
          </a>
        </p>
      )}
    </>
  );
}
