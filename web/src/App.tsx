import { useEffect, type ReactNode } from "react";
import { AuthProvider, homeFor, isLeader, isStaff, useAuth } from "./lib/auth";
import { match, navigate, RouterProvider, useLocation } from "./lib/router";
import { Shell } from "./components/Shell";
import { Spinner } from "./components/ui";
import { LoginPage } from "./pages/Login";
import { SectionsPage } from "./pages/Sections";
import { GridPage } from "./pages/Grid";
import { StudentPage } from "./pages/Student";
import { BadgePage } from "./pages/Badge";
import { PendingAwardsPage } from "./pages/PendingAwards";
import { ChildrenPage } from "./pages/Children";
import { ConferencePage, LearningPlanPage } from "./pages/LearningPlan";
import { PeerReviewPage, PeerReviewsPage } from "./pages/PeerReview";
import { BadgeStudentsPage } from "./pages/BadgeStudents";
import { DashboardPage } from "./pages/Dashboard";
import { PacePage } from "./pages/Pace";
import { PlanPage, TrackerPage } from "./pages/Plan";
import { ObservationPage, ObservationsPage } from "./pages/Observations";
import { ReadinessPage } from "./pages/Readiness";
import { RoundResultsPage } from "./pages/RoundResults";
import { SurveyPage, SurveysPage } from "./pages/Surveys";
import { CatalogEditorPage } from "./pages/admin/CatalogEditor";
import { UsersPage } from "./pages/admin/Users";
import { SettingsPage } from "./pages/admin/Settings";
import { ImportRosterPage } from "./pages/admin/ImportRoster";
import { StandardsPage } from "./pages/admin/Standards";
import { SignInPage } from "./pages/admin/SignIn";
import { NotificationsPage } from "./pages/Notifications";
import { UnsubscribePage } from "./pages/Unsubscribe";
import { InvitePage } from "./pages/Invite";
import { NotFoundPage } from "./pages/NotFound";
import { PortfolioPage } from "./pages/Portfolio";
import { PortfolioNewPage } from "./pages/PortfolioNew";
import { PortfolioSubmissionPage } from "./pages/PortfolioSubmission";
import { ReviewQueuePage } from "./pages/Review";
import { ExemplarsPage } from "./pages/PortfolioExemplars";
import { CalibrationListPage } from "./pages/Calibration";
import { CalibrationSessionPage } from "./pages/CalibrationSession";
import { CredentialsPage } from "./pages/Credentials";
import { VerifyPage } from "./pages/Verify";
import type { Me } from "./lib/types";
import { I18nProvider, useT } from "./i18n";

export function App() {
  return (
    <RouterProvider>
      <AuthProvider>
        <I18nProvider>
          <Routes />
        </I18nProvider>
      </AuthProvider>
    </RouterProvider>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Routes() {
  const { status, me } = useAuth();
  const { pathname } = useLocation();
  const t = useT();

  // The public credential verifier: no sign-in, its own minimal shell.
  if (pathname === "/verify" || pathname === "/verify/") return <VerifyPage />;
  const verifyMatch = match("/verify/:uuid", pathname);
  if (verifyMatch) return <VerifyPage uuid={verifyMatch.uuid} />;
  // An invitation link: whoever opens it sets up their own sign-in.
  if (pathname === "/invite") return <InvitePage />;
  // An email's "stop these emails" link: the token is enough, no sign-in.
  if (pathname === "/unsubscribe") return <UnsubscribePage />;

  if (status === "loading") {
    return (
      <div className="boot">
        <Spinner label={t("boot.opening")} />
      </div>
    );
  }
  if (status === "signed-out" || !me) {
    if (pathname !== "/login") {
      const next = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + window.location.search)}`;
      return <Redirect to={`/login${next}`} />;
    }
    return <LoginPage />;
  }
  if (pathname === "/login" || pathname === "/") return <Redirect to={homeFor(me.role)} />;
  return <Shell>{route(me, pathname)}</Shell>;
}

function route(me: Me, pathname: string): ReactNode {
  const role = me.role;
  if (pathname === "/notifications") return <NotificationsPage />;
  let m: Record<string, string> | null;
  if (role === "student") {
    if (pathname === "/me") return <StudentPage studentId={me.id} />;
    if ((m = match("/me/badges/:code", pathname))) return <BadgePage studentId={me.id} code={m.code} />;
    if (pathname === "/me/portfolio") return <PortfolioPage studentId={me.id} />;
    if (pathname === "/me/portfolio/new") return <PortfolioNewPage studentId={me.id} />;
    if ((m = match("/me/portfolio/:id", pathname))) return <PortfolioSubmissionPage id={m.id} />;
    if (pathname === "/me/credentials") return <CredentialsPage studentId={me.id} />;
    if (pathname === "/me/plan") return <LearningPlanPage studentId={me.id} />;
    if (pathname === "/me/conference") return <ConferencePage studentId={me.id} />;
    if (pathname === "/me/reviews") return <PeerReviewsPage />;
    if ((m = match("/me/reviews/:id", pathname))) return <PeerReviewPage id={m.id} />;
  }
  if (role === "guardian" && pathname === "/children") return <ChildrenPage />;
  if (role !== "student") {
    if ((m = match("/students/:id", pathname))) return <StudentPage studentId={m.id} />;
    if ((m = match("/students/:id/badges/:code", pathname))) return <BadgePage studentId={m.id} code={m.code} />;
    if ((m = match("/students/:id/portfolio", pathname))) return <PortfolioPage studentId={m.id} />;
    if ((m = match("/portfolio/:id", pathname))) return <PortfolioSubmissionPage id={m.id} />;
    if ((m = match("/students/:id/credentials", pathname))) return <CredentialsPage studentId={m.id} />;
    if ((m = match("/students/:id/plan", pathname))) return <LearningPlanPage studentId={m.id} />;
    if ((m = match("/students/:id/conference", pathname))) return <ConferencePage studentId={m.id} />;
  }
  if (isStaff(role)) {
    if (pathname === "/sections") return <SectionsPage />;
    if ((m = match("/sections/:id", pathname))) return <GridPage sectionId={m.id} />;
    if (pathname === "/awards") return <PendingAwardsPage />;
    if ((m = match("/students/:id/portfolio/new", pathname))) return <PortfolioNewPage studentId={m.id} />;
    if (pathname === "/review") return <ReviewQueuePage />;
    if (pathname === "/exemplars") return <ExemplarsPage />;
    if (pathname === "/calibration") return <CalibrationListPage />;
    if ((m = match("/calibration/:id", pathname))) return <CalibrationSessionPage id={m.id} />;
    if (pathname === "/surveys") return <SurveysPage />;
    if ((m = match("/surveys/:id", pathname))) return <SurveyPage id={m.id} />;
  }
  if (isLeader(role) && pathname === "/dashboard") return <DashboardPage />;
  if (isLeader(role) && (m = match("/dashboard/badges/:code", pathname))) return <BadgeStudentsPage code={m.code} />;
  if (isLeader(role) && pathname === "/pace") return <PacePage />;
  if (isLeader(role) && pathname === "/plan") return <PlanPage />;
  if (isLeader(role) && (m = match("/plan/:tracker", pathname))) return <TrackerPage trackerId={m.tracker} />;
  if (isStaff(role) && pathname === "/observations") return <ObservationsPage />;
  if (isStaff(role) && (m = match("/observations/:id", pathname))) return <ObservationPage id={m.id} />;
  if (isLeader(role) && pathname === "/readiness") return <ReadinessPage />;
  if (isLeader(role) && (m = match("/readiness/rounds/:id", pathname))) return <RoundResultsPage id={m.id} />;
  if (role === "admin") {
    if (pathname === "/admin/catalog") return <CatalogEditorPage />;
    if (pathname === "/admin/users") return <UsersPage />;
    if (pathname === "/admin/settings") return <SettingsPage />;
    if (pathname === "/admin/imports") return <ImportRosterPage />;
    if (pathname === "/admin/standards") return <StandardsPage />;
    if (pathname === "/admin/sign-in") return <SignInPage />;
  }
  return <NotFoundPage />;
}
