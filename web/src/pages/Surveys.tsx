// My surveys (issue #15): the rounds of the teams a staff member is in, and
// the form to answer one, each scale item a labelled radio group, each
// free-text item a box. Answers can be changed until the round closes.
import { useEffect, useState, type FormEvent } from "react";
import { api, enc } from "../lib/api";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { formatDate } from "../lib/format";
import { Link } from "../lib/router";
import { fieldErrors, type Answers, type InstrumentDocument, type InstrumentItem, type Round } from "../lib/toolkit";
import { Empty, ErrorNotice, LiveMessage, PageHeader, Spinner } from "../components/ui";
import "../components/toolkit/toolkit.css";

export function SurveysPage() {
  useDocumentTitle("My surveys");
  const { data, error, loading, reload } = useApi<Round[]>("/api/v1/me/rounds");
  return (
    <div className="page toolkit-page">
      <PageHeader title="My surveys" subtitle="Rounds your teams are asked to answer. You can change your answers until a round closes." />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading your surveys…" />}
      {data && data.length === 0 && <Empty title="Nothing to answer">When a leader opens a round for a team you are in, it appears here.</Empty>}
      {data && data.length > 0 && (
        <div className="table-scroll">
          <table className="table surveys-table">
            <caption className="sr-only">Your surveys, open ones first</caption>
            <thead>
              <tr>
                <th scope="col">Survey</th>
                <th scope="col">Team</th>
                <th scope="col">Due</th>
                <th scope="col">Your answers</th>
              </tr>
            </thead>
            <tbody>
              {data.map((r) => (
                <tr key={r.id} data-round={r.id}>
                  <th scope="row">
                    <Link to={`/surveys/${enc(r.id)}`}>{r.label}</Link>
                    <div className="small muted">
                      {r.instrument.title}
                      {r.anonymous ? " · anonymous" : " · named"}
                    </div>
                  </th>
                  <td>{r.team.name}</td>
                  <td>{formatDate(r.due)}</td>
                  <td>{r.answered ? (r.accepting ? "Answered (you can still change them)" : "Answered") : r.accepting ? "Not answered yet" : "Closed without your answers"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function SurveyPage({ id }: { id: string }) {
  const { data, error, loading, reload } = useApi<Round>(`/api/v1/rounds/${enc(id)}`);
  useDocumentTitle(data ? data.label : "Survey");
  const crumbs = [{ to: "/surveys", label: "My surveys" }];
  return (
    <div className="page toolkit-page">
      <PageHeader
        title={data ? data.label : "Survey"}
        crumbs={crumbs}
        subtitle={
          data
            ? `${data.instrument.title} · ${data.team.name} · due ${formatDate(data.due)} · ${data.anonymous ? "anonymous: your name is not kept with your answers" : "named: the team's leaders see your answers"}`
            : undefined
        }
      />
      {error !== undefined && <ErrorNotice error={error} onRetry={reload} />}
      {loading && !data && <Spinner label="Loading the survey…" />}
      {data?.instrument_document && data.you_respond && <SurveyForm round={data} doc={data.instrument_document} />}
      {data && !data.you_respond && <p className="muted">You lead this round; its members answer it.</p>}
    </div>
  );
}

function SurveyForm({ round, doc }: { round: Round; doc: InstrumentDocument }) {
  const [answers, setAnswers] = useState<Answers>({ answers: {}, texts: {} });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (round.my_response) setAnswers({ answers: { ...round.my_response.answers }, texts: { ...round.my_response.texts } });
  }, [round.my_response]);

  const readOnly = !round.accepting;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    setMessage("");
    try {
      await api.put(`/api/v1/rounds/${enc(round.id)}/my-response`, answers);
      setMessage(`Your answers are saved. You can change them until ${formatDate(round.due)}.`);
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setError(err);
    } finally {
      setBusy(false);
    }
  };

  const scaleOf = (item: InstrumentItem) => doc.scales.find((s) => s.id === item.response.scale);
  const answered = Object.keys(answers.answers).length + Object.keys(answers.texts).length;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      {readOnly && (
        <div className="notice notice-info" role="status">
          <div className="notice-body">This round is closed: your answers are shown as you left them.</div>
        </div>
      )}
      {doc.sections.map((section) => (
        <section key={section.id} className="card survey-section" aria-labelledby={`sec-${section.id}`}>
          <h2 className="section-title" id={`sec-${section.id}`}>
            {section.title}
          </h2>
          {section.description && <p className="muted">{section.description}</p>}
          {section.items.map((item) => {
            const scale = scaleOf(item);
            const err = errors[`answers.${item.id}`] ?? errors[`texts.${item.id}`];
            if (item.response.type === "text" || !scale) {
              return (
                <div key={item.id} className="field survey-item" data-item={item.id}>
                  <label htmlFor={`text-${item.id}`}>{item.prompt}</label>
                  <textarea
                    id={`text-${item.id}`}
                    rows={3}
                    maxLength={4000}
                    readOnly={readOnly}
                    value={answers.texts[item.id] ?? ""}
                    onChange={(e) => setAnswers((old) => ({ ...old, texts: { ...old.texts, [item.id]: e.target.value } }))}
                  />
                  {err && <p className="field-error">{err}</p>}
                </div>
              );
            }
            return (
              <fieldset key={item.id} className="survey-item" data-item={item.id} aria-describedby={err ? `err-${item.id}` : undefined}>
                <legend>{item.prompt}</legend>
                {item.help && <p className="small muted">{item.help}</p>}
                <div className="survey-points">
                  {scale.points.map((point) => (
                    <label key={point.value} className="check">
                      <input
                        type="radio"
                        name={item.id}
                        value={point.value}
                        disabled={readOnly}
                        checked={answers.answers[item.id] === point.value}
                        onChange={() => setAnswers((old) => ({ ...old, answers: { ...old.answers, [item.id]: point.value } }))}
                      />
                      {point.label}
                    </label>
                  ))}
                </div>
                {err && (
                  <p className="field-error" id={`err-${item.id}`}>
                    {err}
                  </p>
                )}
              </fieldset>
            );
          })}
        </section>
      ))}
      {error !== undefined && <ErrorNotice error={error} />}
      {errors.answers && <p className="field-error">{errors.answers}</p>}
      <LiveMessage message={message} onDismiss={() => setMessage("")} />
      {!readOnly && (
        <div className="form-actions">
          <span className="muted small">{answered} answered</span>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Save my answers
          </button>
        </div>
      )}
    </form>
  );
}
