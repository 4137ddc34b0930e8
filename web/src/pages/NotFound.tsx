import { useDocumentTitle } from "../lib/hooks";
import { Link } from "../lib/router";
import { Empty } from "../components/ui";

export function NotFoundPage() {
  useDocumentTitle("Not found");
  return (
    <div className="page">
      <h1 className="sr-only">Page not found</h1>
      <Empty title="This page is not here, or it is not yours to see.">
        <Link to="/" className="btn btn-primary">
          Go to your start page
        </Link>
      </Empty>
    </div>
  );
}
