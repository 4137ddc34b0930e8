import { useDocumentTitle } from "../lib/hooks";
import { Link } from "../lib/router";
import { Empty } from "../components/ui";
import { useT } from "../i18n";

export function NotFoundPage() {
  const t = useT();
  useDocumentTitle(t("notFound.title"));
  return (
    <div className="page">
      <h1 className="sr-only">{t("notFound.heading")}</h1>
      <Empty title={t("notFound.body")}>
        <Link to="/" className="btn btn-primary">
          {t("notFound.home")}
        </Link>
      </Empty>
    </div>
  );
}
