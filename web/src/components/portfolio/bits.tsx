import type { ReactNode } from "react";
import type { SubmissionState } from "../../lib/portfolio";
import "./portfolio.css";
import { useT } from "../../i18n";

/** A submission's state as text, icon and colour (never colour alone). */
export function SubmissionStateChip({ state }: { state: SubmissionState }) {
  const t = useT();
  return (
    <span className={`sub-chip sub-${state}`} data-state={state}>
      <SubmissionStateIcon state={state} />
      <span>{t(`submission.${state}`)}</span>
    </span>
  );
}

function SubmissionStateIcon({ state }: { state: SubmissionState }) {
  const common = { width: 14, height: 14, viewBox: "0 0 16 16", "aria-hidden": true, focusable: false } as const;
  switch (state) {
    case "draft":
      return (
        <svg {...common}>
          <path d="M3 13l1-3.5L10.5 3 13 5.5 6.5 12z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
        </svg>
      );
    case "submitted":
      return (
        <svg {...common}>
          <path d="M2 8l11-5-4 11-2-4.5z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
        </svg>
      );
    case "in_review":
      return (
        <svg {...common}>
          <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <path d="M10.5 10.5L14 14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      );
    case "revision_requested":
      return (
        <svg {...common}>
          <path d="M13 8a5 5 0 1 1-1.6-3.7M13 2.5v3h-3" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case "accepted":
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7.5" fill="currentColor" />
          <path d="M4.5 8.3l2.3 2.3 4.7-5" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
  }
}

/** A two-state switch button (aria-pressed) with a visible on/off track. */
export function Toggle({ on, label, hint, onChange, disabled }: { on: boolean; label: string; hint?: ReactNode; onChange: (next: boolean) => void; disabled?: boolean }) {
  const t = useT();
  return (
    <div className="toggle-row">
      <button type="button" className="toggle" aria-pressed={on} onClick={() => onChange(!on)} disabled={disabled}>
        <span className="toggle-track" aria-hidden="true">
          <span className="toggle-thumb" />
        </span>
        <span className="toggle-label">{label}</span>
        <span className="toggle-state" aria-hidden="true">
          {on ? t("ui.on") : t("ui.off")}
        </span>
      </button>
      {hint && <p className="small muted toggle-hint">{hint}</p>}
    </div>
  );
}

export function FileIcon({ kind }: { kind: string }) {
  return (
    <svg className="file-icon" width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M6 2h8l5 5v14a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1z" fill="#eceefe" stroke="#3a45c8" strokeWidth="1.4" />
      <path d="M14 2v5h5" fill="none" stroke="#3a45c8" strokeWidth="1.4" />
      <text x="12" y="17.5" textAnchor="middle" fontSize="5.5" fontWeight="700" fill="#2a339b" fontFamily="sans-serif">
        {kind === "pdf" ? "PDF" : kind === "image" ? "IMG" : kind === "text" ? "TXT" : "DOC"}
      </text>
    </svg>
  );
}
