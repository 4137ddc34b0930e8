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
import { DashboardPage } from "./pages/Dashboard";
import { CatalogEditorPage } from "./pages/admin/CatalogEditor";
import { UsersPage } from "./pages/admin/Users";
import { SettingsPage } from "./pages/admin/Settings";
import { NotFoundPage } from "./pages/NotFound";
import type { Me } from "./lib/types";

export function App() {
  return (
    <RouterProvider>
      <AuthProvider>
        <Routes />
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

  if (status === "loading") {
    return (
      <div className="boot">
        <Spinner label="Opening Cairn…" />
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
  let m: Record<string, string> | null;
  if (role === "student") {
    if (pathname === "/me") return <StudentPage studentId={me.id} />;
    if ((m = match("/me/badges/:code", pathname))) return <BadgePage studentId={me.id} code={m.code} />;
  }
  if (role === "guardian" && pathname === "/children") return <ChildrenPage />;
  if (role !== "student") {
    if ((m = match("/students/:id", pathname))) return <StudentPage studentId={m.id} />;
    if ((m = match("/students/:id/badges/:code", pathname))) return <BadgePage studentId={m.id} code={m.code} />;
  }
  if (isStaff(role)) {
    if (pathname === "/sections") return <SectionsPage />;
    if ((m = match("/sections/:id", pathname))) return <GridPage sectionId={m.id} />;
    if (pathname === "/awards") return <PendingAwardsPage />;
  }
  if (isLeader(role) && pathname === "/dashboard") return <DashboardPage />;
  if (role === "admin") {
    if (pathname === "/admin/catalog") return <CatalogEditorPage />;
    if (pathname === "/admin/users") return <UsersPage />;
    if (pathname === "/admin/settings") return <SettingsPage />;
  }
  return <NotFoundPage />;
}
