// New evidence: the student's own, or a teacher's on a student's behalf
// (typically a phone photo of work done in class).
import { api } from "../lib/api";
import { useMe } from "../lib/auth";
import { useCatalog } from "../lib/catalog";
import { useApi, useDocumentTitle } from "../lib/hooks";
import { navigate, useLocation } from "../lib/router";
import type { StudentInfo } from "../lib/types";
import { portfolioPath, submissionPath, type Submission } from "../lib/portfolio";
import { ErrorNotice, PageHeader, Spinner } from "../components/ui";
import { EvidenceForm, type EvidencePayload } from "../components/portfolio/EvidenceForm";
import { useT } from "../i18n";

export function PortfolioNewPage({ studentId }: { studentId: string }) {
  const me = useMe();
  const t = useT();
  const self = me.role === "student";
  const { catalog, error } = useCatalog();
  const { search } = useLocation();
  const info = useApi<StudentInfo>(`/api/v1/students/${encodeURIComponent(studentId)}`).data;
  useDocumentTitle(self ? t("portfolio.new") : "Add work for a student");
  const preferred = info?.sections.flatMap((s) => s.badges) ?? [];
  const name = info?.name ?? "";

  async function save(p: EvidencePayload) {
    const created = await api.post<Submission>(`/api/v1/students/${encodeURIComponent(studentId)}/submissions`, p);
    navigate(submissionPath(me.role, created.id));
  }

  return (
    <div className="page page-narrow">
      <PageHeader
        crumbs={[{ to: portfolioPath(me.role, studentId), label: self ? t("nav.myPortfolio") : `${name || "Student"}'s portfolio` }]}
        title={self ? t("portfolio.new") : `Add work for ${name || "a student"}`}
        subtitle={
          self
            ? t("portfolio.newSubtitle")
            : "Take a photo of the work (or choose a file), tick what it shows, and submit it for the student."
        }
      />
      {error !== undefined && <ErrorNotice error={error} title={t("portfolio.catalogFailed")} />}
      {!catalog ? (
        <Spinner />
      ) : (
        <EvidenceForm
          studentId={studentId}
          catalog={catalog}
          mode="new"
          preferredBadges={preferred}
          initial={{ badge: search.get("badge") ?? "", title: "" }}
          behalf={!self}
          onSave={save}
          onCancel={() => navigate(portfolioPath(me.role, studentId))}
        />
      )}
    </div>
  );
}
