import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode } from "react";
import { errorMessage } from "../lib/api";
import { formatDate, levelTone } from "../lib/format";
import type { Award, PathwayState, ScaleLevel } from "../lib/types";
import { Link } from "../lib/router";
import { useT } from "../i18n";

export function Spinner({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t("ui.loading")}</span>
    </div>
  );
}

export function ErrorNotice({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const t = useT();
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title ?? t("ui.error")}</strong>
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
          {t("ui.retry")}
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <CairnMark size={40} muted />
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function PageHeader({ title, subtitle, crumbs, actions }: { title: ReactNode; subtitle?: ReactNode; crumbs?: { to: string; label: string }[]; actions?: ReactNode }) {
  const t = useT();
  return (
    <div className="page-header">
      {crumbs && crumbs.length > 0 && (
        <nav aria-label={t("ui.breadcrumb")} className="crumbs">
          <ol>
            {crumbs.map((c) => (
              <li key={c.to}>
                <Link to={c.to}>{c.label}</Link>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div className="page-header-row">
        <div className="page-header-text">
          <h1>{title}</h1>
          {subtitle && <p className="page-subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
    </div>
  );
}

/** A level as text plus colour; the glyph repeats the meaning for those who cannot see colour. */
export function LevelChip({ levels, level, label, size = "md" }: { levels: ScaleLevel[]; level: string | null | undefined; label?: string; size?: "sm" | "md" }) {
  const t = useT();
  const tone = levelTone(levels, level);
  const text = level ? label ?? levels.find((l) => l.id === level)?.label ?? level : t("ui.noEvidence");
  return (
    <span className={`level-chip tone-${tone} chip-${size}`}>
      <LevelGlyph tone={tone} />
      <span>{text}</span>
    </span>
  );
}

export function LevelGlyph({ tone }: { tone: string }) {
  // Four shapes so the level reads without colour: empty, quarter, three quarters, full.
  const fill = tone === "none" ? 0 : tone === "nm-low" ? 0.25 : tone === "nm-high" ? 0.5 : tone === "m-low" ? 0.75 : 1;
  const r = 5;
  const angle = fill * 2 * Math.PI;
  const x = 6 + r * Math.sin(angle);
  const y = 6 - r * Math.cos(angle);
  const large = fill > 0.5 ? 1 : 0;
  return (
    <svg className="level-glyph" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <circle cx="6" cy="6" r={r} fill="none" stroke="currentColor" strokeWidth="1.5" />
      {fill >= 1 ? (
        <circle cx="6" cy="6" r={r} fill="currentColor" />
      ) : fill > 0 ? (
        <path d={`M6 6 L6 1 A${r} ${r} 0 ${large} 1 ${x.toFixed(2)} ${y.toFixed(2)} Z`} fill="currentColor" />
      ) : null}
    </svg>
  );
}

export function StateChip({ state, detail }: { state: PathwayState; detail?: string }) {
  const t = useT();
  return (
    <span className={`state-chip state-${state}`}>
      <StateIcon state={state} />
      <span>{t(`state.${state}`)}</span>
      {detail && <span className="state-detail">· {detail}</span>}
    </span>
  );
}

export function StateIcon({ state, size = 14 }: { state: PathwayState; size?: number }) {
  return (
    <svg className="state-icon" width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <StateIconPaths state={state} />
    </svg>
  );
}

/** The icon paths on a 16×16 box, also used inside the pathway map's SVG. */
export function StateIconPaths({ state }: { state: PathwayState }) {
  switch (state) {
    case "earned":
      return (
        <>
          <circle cx="8" cy="8" r="7.5" fill="currentColor" />
          <path d="M4.5 8.3l2.3 2.3 4.7-5" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </>
      );
    case "in_progress":
      return (
        <>
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M8 1.5 A6.5 6.5 0 0 1 8 14.5 Z" fill="currentColor" />
        </>
      );
    case "available":
      return (
        <>
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M6.5 5l3.5 3-3.5 3" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </>
      );
    case "locked":
      return (
        <>
          <rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor" />
          <path d="M5.2 7V5.3a2.8 2.8 0 0 1 5.6 0V7" fill="none" stroke="currentColor" strokeWidth="1.8" />
        </>
      );
  }
}

export function AwardNote({ award }: { award: Award }) {
  const t = useT();
  switch (award.state) {
    case "confirmed":
      return <span className="award-note award-confirmed">{award.confirmed_on ? t("award.confirmedOn", { date: formatDate(award.confirmed_on) }) : t("award.confirmed")}</span>;
    case "proposed":
      return <span className="award-note award-proposed">{t("award.proposed")}</span>;
    case "revoked":
      return <span className="award-note award-revoked">{award.reason ? t("award.revokedWhy", { reason: award.reason }) : t("award.revoked")}</span>;
    default:
      return null;
  }
}

/** A bar for `value` of `max`; `valueText` replaces the spoken "value of max" (e.g. "40%"). */
export function ProgressBar({ value, max, label, valueText }: { value: number; max: number; label: string; valueText?: string }) {
  const t = useT();
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="progress">
      <div className="progress-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} aria-valuetext={valueText ?? t("ui.ofMax", { value, max })}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

export function Tabs<T extends string>({ tabs, value, onChange, label }: { tabs: { id: T; label: ReactNode }[]; value: T; onChange: (id: T) => void; label: string }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const listRef = useRef<HTMLDivElement>(null);
  // Keep the selected tab in view when the list scrolls sideways (phones).
  useEffect(() => {
    const list = listRef.current;
    const tab = refs.current[value];
    if (!list || !tab || list.scrollWidth <= list.clientWidth) return;
    const left = tab.offsetLeft; // the list is the tab's offset parent
    if (left < list.scrollLeft || left + tab.offsetWidth > list.scrollLeft + list.clientWidth) {
      list.scrollLeft = Math.max(0, left - 16);
    }
  }, [value]);
  const onKey = (e: React.KeyboardEvent, index: number) => {
    let next = -1;
    if (e.key === "ArrowRight") next = (index + 1) % tabs.length;
    if (e.key === "ArrowLeft") next = (index - 1 + tabs.length) % tabs.length;
    if (e.key === "Home") next = 0;
    if (e.key === "End") next = tabs.length - 1;
    if (next >= 0) {
      e.preventDefault();
      onChange(tabs[next].id);
      refs.current[tabs[next].id]?.focus();
    }
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} ref={listRef}>
      {tabs.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[t.id] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === value}
          aria-controls={`panel-${t.id}`}
          tabIndex={t.id === value ? 0 : -1}
          className={t.id === value ? "tab active" : "tab"}
          onClick={() => onChange(t.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} className="tab-panel" tabIndex={0}>
      {children}
    </div>
  );
}

/** A native modal dialog: focus is trapped and Escape closes it. */
export function Dialog({ open, title, onClose, children, description }: { open: boolean; title: string; onClose: () => void; children: ReactNode; description?: ReactNode }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // Start on the first field rather than the close button.
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      {open && (
        <div className="dialog-inner">
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="icon-btn" aria-label={t("ui.close")} onClick={onClose}>
              <CloseIcon size={18} />
            </button>
          </div>
          {description && <div className="dialog-desc">{description}</div>}
          {children}
        </div>
      )}
    </dialog>
  );
}

export function CairnMark({ size = 28, muted = false }: { size?: number; muted?: boolean }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className={muted ? "mark muted" : "mark"}>
      <ellipse cx="16" cy="26" rx="12" ry="4.5" fill="var(--mark-1)" />
      <ellipse cx="16" cy="18.5" rx="9" ry="4" fill="var(--mark-2)" />
      <ellipse cx="16" cy="11.5" rx="6.5" ry="3.5" fill="var(--mark-3)" />
      <ellipse cx="16" cy="5.5" rx="3.8" ry="2.6" fill="var(--mark-4)" />
    </svg>
  );
}

/** The props Field hands its control: the label's target and the hint and error it is described by. */
export type FieldControlProps = { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string };

/**
 * The one form field: a label, the control (text, number, select, textarea…)
 * that `children` renders with the props given, a hint and an error, the
 * control described by both and marked invalid while there is an error.
 */
export function Field({ label, error, hint, children, id }: { label: ReactNode; error?: string | null; hint?: ReactNode; children: (props: FieldControlProps) => ReactNode; id?: string }) {
  const auto = useId();
  const fieldId = id ?? auto;
  const hintId = hint ? fieldId + "-hint" : undefined;
  const errId = error ? fieldId + "-err" : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field has-error" : "field"}>
      <label htmlFor={fieldId}>{label}</label>
      {children({ id: fieldId, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errId}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A number input for whole numbers (a Field's control): empty is undefined, a fraction is cut to its whole part. */
export function WholeNumberInput({ value, onChange, ...rest }: Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "value" | "onChange"> & { value: number | undefined; onChange: (value: number | undefined) => void }) {
  return <input {...rest} type="number" inputMode="numeric" value={value ?? ""} onChange={(e) => onChange(e.target.value === "" ? undefined : Math.trunc(Number(e.target.value)))} />;
}

export function LiveMessage({ message, tone = "success", onDismiss }: { message: ReactNode; tone?: "success" | "info" | "error"; onDismiss?: () => void }) {
  const t = useT();
  if (!message) return null;
  return (
    <div className={`notice notice-${tone}`} role={tone === "error" ? "alert" : "status"}>
      <div className="notice-body">{message}</div>
      {onDismiss && (
        <button type="button" className="icon-btn" aria-label={t("ui.dismiss")} onClick={onDismiss}>
          <CloseIcon size={14} />
        </button>
      )}
    </div>
  );
}

/** The × of a close or dismiss button; the button carries the accessible name. */
function CloseIcon({ size }: { size: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 18 18" aria-hidden="true" focusable="false">
      <path d="M4 4l10 10M14 4L4 14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}
