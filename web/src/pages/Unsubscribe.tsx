import { useEffect, useState } from "react";
import { api, errorMessage } from "../lib/api";
import { useDocumentTitle } from "../lib/hooks";
import { CairnMark, Spinner } from "../components/ui";
import { useT } from "../i18n";

/**
 * Where an email's "stop these emails" link lands: no sign-in, the token in
 * the link is enough. It turns email off as soon as it opens (one link) and
 * says so; the in-app feed goes on.
 */
export function UnsubscribePage() {
  const t = useT();
  useDocumentTitle(t("unsub.title"));
  const [token] = useState(() => new URLSearchParams(window.location.search).get("token") ?? "");
  const [state, setState] = useState<"working" | "done" | "failed">("working");
  const [problem, setProblem] = useState("");

  useEffect(() => {
    if (!token) {
      setState("failed");
      setProblem(t("unsub.incomplete"));
      return;
    }
    api
      .post(`/api/v1/unsubscribe?token=${encodeURIComponent(token)}`)
      .then(() => setState("done"))
      .catch((e) => {
        setState("failed");
        setProblem(errorMessage(e));
      });
  }, [token]);

  return (
    <div className="login">
      <main className="login-main" id="main">
        <div className="login-card">
          <div className="brand">
            <CairnMark />
            <span className="brand-name">Cairn</span>
          </div>
          <h1>{t("unsub.title")}</h1>
          {state === "working" && <Spinner label={t("unsub.working")} />}
          {state === "done" && (
            <div className="notice notice-info" role="status">
              {t("unsub.done")}
            </div>
          )}
          {state === "failed" && (
            <div className="notice notice-error" role="alert">
              {problem}
            </div>
          )}
        </div>
      </main>
    </div>
  );
}
