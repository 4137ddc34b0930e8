// A round's results for its team's leaders (issue #15): where the team
// stands per domain (a table with bars), the items it disagrees on most,
// the change per domain since the team's previous round, and for anonymous
// rounds which items are too thinly answered to show.
import { useState } from "react";
import { api, ApiError, enc } from "../lib/api";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { disagreementWords, oneDecimal, signed, type DomainChange, type DomainResult, type ItemResult, type Round, type RoundResults } from "../lib/toolkit";
import { ErrorNotice, PageHeader, Spinner } from "../components/ui";
import "../components/toolkit/toolkit.css";
import { TextAnswers } from "../components/toolkit/TextAnswers";
import { DomainMovement } from "../components/toolkit/DomainMovement";

export function RoundResultsPage({ id }: { id: string }) {
  const { data, error, loading, reload } = useApi<RoundResults>(`/api/v1/rounds/${enc(id)}/results`);
  useDocumentTitle(data ? `Results: ${data.label}` : "Round results");
  const crumbs = [{ to: "/readiness", label: "Readiness" }];

  if (error instanceof ApiError && error.status === 409) {
    return <NotReady id={id} onClosed={reload} crumbs={crumbs} />;
  }
  return (
    <div className="page toolkit-page">
      <PageHeader
        title={data ? data.label : "Round results"}
        crumbs={crumbs}
        subtitle={
          data
            ? `${data.instrument.title} · ${data.team.name} · due ${formatDate(data.due)} · ${data.responses} of ${data.members} answered · ${data.anonymous ? "anonymous" : "named"}`
            : undefined
        }
      />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading results…" />}
      {data && <Results data={data} onSaved={reload} />}
    </div>
  );
}

function NotReady({ id, onClosed, crumbs }: { id: string; onClosed: () => void; crumbs: { to: string; label: string }[] }) {
  const round = useApi<Round>(`/api/v1/rounds/${enc(id)}`);
  const [error, setError] = useState<unknown>(undefined);
  const close = async () => {
    try {
      await api.post(`/api/v1/rounds/${enc(id)}/close`);
      onClosed();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="page toolkit-page">
      <PageHeader title={round.data ? round.data.label : "Round results"} crumbs={crumbs} />
      {error !== undefined && <ErrorNotice error={error} />}
      <div className="notice notice-info" role="status">
        <div className="notice-body">
          This round is anonymous: its results appear once it is closed or past its due date, so that nobody can work out one person's answers by watching the numbers change.
          {round.data && ` ${round.data.responses ?? 0} of ${round.data.members} have answered.`}
        </div>
      </div>
      {round.data?.you_lead && round.data.status === "open" && (
        <button type="button" className="btn btn-primary" onClick={() => void close()}>
          Close the round now
        </button>
      )}
    </div>
  );
}

function Results({ data, onSaved }: { data: RoundResults; onSaved: () => void }) {
  const { results } = data;
  const suppressed = results.items.filter((i) => i.suppressed);
  return (
    <>
      <section className="card" aria-labelledby="by-domain">
        <h2 className="section-title" id="by-domain">
          By domain
        </h2>
        <DomainTable domains={results.domains} change={data.change} since={data.previous_round?.label} />
      </section>
      <section className="card" aria-labelledby="disagree">
        <h2 className="section-title" id="disagree">
          Where the team disagrees most
        </h2>
        {results.most_disagreed.length === 0 ? (
          <p className="muted">No item has enough answers to compare.</p>
        ) : (
          <ol className="disagreed-list">
            {results.most_disagreed.map((item) => (
              <DisagreedItem key={item.item} item={item} />
            ))}
          </ol>
        )}
        <p className="small muted">Disagreement runs from 0 (everyone chose the same answer) to 1 (the team split between the two ends of the scale).</p>
      </section>
      <section className="card" aria-labelledby="change">
        <h2 className="section-title" id="change">
          {data.previous_round ? `Change since ${data.previous_round.label}` : "Change since the last round"}
        </h2>
        {data.change ? (
          <ChangeTable data={data} />
        ) : (
          <p className="muted">{data.previous_round ? "The previous round's results are not available yet." : "This is the team's first round of this instrument: open another next term to see the change."}</p>
        )}
      </section>
      {results.domains.length > 0 && <DomainMovement round={data} />}
      <TextAnswers roundId={data.id} items={results.items} themes={(results as { themes?: { theme: string; answers: number }[] }).themes ?? []} canTag={!!data.you_lead} onSaved={onSaved} />
      {suppressed.length > 0 && (
        <section className="card" aria-labelledby="suppressed">
          <h2 className="section-title" id="suppressed">
            Not shown
          </h2>
          <p className="muted">
            {suppressed.length} {suppressed.length === 1 ? "item has" : "items have"} fewer than 3 answers; in an anonymous round they are not shown, so that no answer can be traced to a person.
          </p>
        </section>
      )}
      {data.responses_by_person && data.responses_by_person.length > 0 && <WhoAnswered data={data} />}
    </>
  );
}

function DomainBar({ domain }: { domain: DomainResult }) {
  const min = domain.scale_min ?? 1;
  const max = domain.scale_max ?? 5;
  const share = domain.mean === null ? 0 : Math.max(0, Math.min(1, (domain.mean - min) / Math.max(1, max - min)));
  return (
    <div className="domain-bar">
      <div className="domain-bar-track" aria-hidden="true">
        <div className="domain-bar-fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <span className="domain-bar-value">{oneDecimal(domain.mean)}</span>
    </div>
  );
}

function DomainTable({ domains, change, since }: { domains: DomainResult[]; change: DomainChange[] | null; since?: string }) {
  const changeOf = new Map((change ?? []).map((c) => [c.section, c.change]));
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="by-domain">
      <table className="table domain-table">
        <caption className="sr-only">Mean answer per domain on the instrument's scale, with median, disagreement and number of answers</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Mean</th>
            <th scope="col">Median</th>
            <th scope="col">Disagreement</th>
            <th scope="col">Answers</th>
            {change && <th scope="col">Since {since}</th>}
          </tr>
        </thead>
        <tbody>
          {domains.map((d) => (
            <tr key={d.section} data-section={d.section}>
              <th scope="row">{d.title}</th>
              <td>{d.mean === null ? <span className="muted">not shown</span> : <DomainBar domain={d} />}</td>
              <td>{oneDecimal(d.median)}</td>
              <td>
                {d.disagreement === null ? "–" : `${d.disagreement.toFixed(2)} (${disagreementWords(d.disagreement)})`}
              </td>
              <td>{d.answers}</td>
              {change && <td>{signed(changeOf.get(d.section))}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DisagreedItem({ item }: { item: ItemResult }) {
  return (
    <li data-item={item.item}>
      <p className="disagreed-prompt">{item.prompt}</p>
      <p className="small">
        Disagreement {item.disagreement?.toFixed(2)} ({disagreementWords(item.disagreement)}) · median {oneDecimal(item.median)} · {item.n} answers
      </p>
      <ul className="distribution" aria-label="Answers per point of the scale">
        {item.distribution?.map((p) => (
          <li key={p.value}>
            {p.label}: <strong>{p.count}</strong>
          </li>
        ))}
      </ul>
    </li>
  );
}

function ChangeTable({ data }: { data: RoundResults }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="change">
      <table className="table change-table">
        <caption className="sr-only">Mean per domain in {data.previous_round?.label} and now, and the change</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">{data.previous_round?.label ?? "Before"}</th>
            <th scope="col">{data.label}</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {data.change?.map((c) => (
            <tr key={c.section} data-section={c.section}>
              <th scope="row">{c.title}</th>
              <td>{oneDecimal(c.before)}</td>
              <td>{oneDecimal(c.after)}</td>
              <td className={c.change && c.change > 0.05 ? "change-up" : c.change && c.change < -0.05 ? "change-down" : undefined}>
                {signed(c.change)}
                {c.change !== null && <span className="sr-only">{c.change > 0.05 ? " (up)" : c.change < -0.05 ? " (down)" : " (no change)"}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WhoAnswered({ data }: { data: RoundResults }) {
  const people = data.responses_by_person ?? [];
  return (
    <section className="card" aria-labelledby="who">
      <h2 className="section-title" id="who">
        Who answered what (named round)
      </h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="who">
        <table className="table">
          <caption className="sr-only">Each member's answer per item</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              {people.map((p, i) => (
                <th scope="col" key={p.person?.id ?? i}>
                  {p.person?.name ?? "Former member"}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.results.items
              .filter((i) => i.kind === "scale")
              .map((item) => (
                <tr key={item.item}>
                  <th scope="row">{item.prompt}</th>
                  {people.map((p, i) => (
                    <td key={p.person?.id ?? i}>{p.answers[item.item] ?? "–"}</td>
                  ))}
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
