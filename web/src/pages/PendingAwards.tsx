import { useState } from "react";
import { api, errorMessage } from "../lib/api";
import { canRate, useMe } from "../lib/auth";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate, plural } from "../lib/format";
import { Link } from "../lib/router";
import type { PendingAward } from "../lib/types";
import { Empty, ErrorNotice, LiveMessage, PageHeader, Spinner } from "../components/ui";

export function PendingAwardsPage() {
  useDocumentTitle("Pending awards");
  const me = useMe();
  const { data, error, loading, reload, setData } = useApi<PendingAward[]>("/api/v1/awards/pending");
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "success" | "error" } | null>(null);
  const writable = canRate(me.role);

  async function confirm(a: PendingAward) {
    const key = a.student.id + "/" + a.badge;
    setBusy(key);
    setMessage(null);
    try {
      await api.post(`/api/v1/students/${encodeURIComponent(a.student.id)}/badges/${encodeURIComponent(a.badge)}/award`, { action: "confirm" });
      setData((old) => old?.filter((x) => !(x.student.id === a.student.id && x.badge === a.badge)));
      setMessage({ text: `Confirmed: ${a.student.name} earned ${a.badge} ${a.title}.`, tone: "success" });
      void reload();
    } catch (e) {
      setMessage({ text: errorMessage(e), tone: "error" });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="page">
      <PageHeader
        title="Pending awards"
        subtitle="Students who meet every requirement of a badge. Check the evidence, then confirm the award."
      />
      {message && <LiveMessage message={message.text} tone={message.tone} onDismiss={() => setMessage(null)} />}
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner />}
      {data && data.length === 0 && <Empty title="Nothing waiting for confirmation">When a student meets a badge's award rule, Cairn proposes the award here.</Empty>}
      {data && data.length > 0 && (
        <>
          <p className="muted small" aria-live="polite">
            {plural(data.length, "award")} waiting, the longest wait first.
          </p>
          <ul className="pending-list">
            {data.map((a) => {
              const key = a.student.id + "/" + a.badge;
              const studentUrl = `/students/${encodeURIComponent(a.student.id)}`;
              return (
                <li key={key} className="card pending-item" data-student={a.student.id} data-badge={a.badge}>
                  <div className="pending-main">
                    <p className="pending-who">
                      <Link to={studentUrl}>{a.student.name}</Link>
                    </p>
                    <p className="pending-badge">
                      <span className="code">{a.badge}</span> {a.title}
                    </p>
                    <p className="small muted">
                      <span className={a.waiting_days >= 14 ? "pending-wait pending-wait-long" : "pending-wait"}>
                        {a.waiting_days === 0 ? "Proposed today" : `Waiting ${plural(a.waiting_days, "day")}`}
                      </span>{" "}
                      (proposed {formatDate(a.proposed_at)}) · {a.explanation.cpes_counting} of {a.explanation.cpes_needed} CPEs at mastery · {a.explanation.rule}
                    </p>
                    <Link to={`${studentUrl}/badges/${encodeURIComponent(a.badge)}`} className="small">
                      Review the evidence
                    </Link>
                  </div>
                  {writable && (
                    <button type="button" className="btn btn-primary" disabled={busy === key} onClick={() => confirm(a)} aria-label={`Confirm ${a.badge} for ${a.student.name}`}>
                      {busy === key ? "Confirming…" : "Confirm"}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
