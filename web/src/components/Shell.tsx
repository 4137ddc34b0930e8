import { useEffect, useRef, useState, type ReactNode, type Ref } from "react";
import { api } from "../lib/api";
import { useAuth, useMe } from "../lib/auth";
import { ROLE_LABELS } from "../lib/format";
import { Link, useLocation } from "../lib/router";
import type { Role } from "../lib/types";
import { CairnMark, LiveMessage } from "./ui";
import { translatedRole, useT, type T } from "../i18n";
import { LanguagePicker } from "./LanguagePicker";

interface NavItem {
  to: string;
  label: string;
  download?: boolean;
  match?: string[];
  /** Paths under `match` that belong to another item. */
  not?: string[];
}

function navFor(role: Role, t: T): NavItem[] {
  const tracking: NavItem = { to: "/api/v1/reports/tracking-sheet", label: "Tracking sheet", download: true };
  const review: NavItem = { to: "/review", label: "Review queue", match: ["/review", "/portfolio", "/exemplars"] };
  const calibration: NavItem = { to: "/calibration", label: "Calibration" };
  const plan: NavItem = { to: "/plan", label: "Plan", match: ["/plan", "/observations"] };
  const readiness: NavItem = { to: "/readiness", label: "Readiness" };
  const surveys: NavItem = { to: "/surveys", label: "My surveys" };
  switch (role) {
    case "student":
      return [
        { to: "/me", label: t("nav.myLearning"), not: ["/me/credentials", "/me/portfolio", "/me/plan", "/me/conference", "/me/reviews"] },
        { to: "/me/plan", label: t("nav.myPlan"), match: ["/me/plan", "/me/conference"] },
        { to: "/me/portfolio", label: t("nav.myPortfolio") },
        { to: "/me/reviews", label: t("nav.peerReviews") },
        { to: "/me/credentials", label: t("nav.myCredentials") },
      ];
    case "guardian":
      return [{ to: "/children", label: t("nav.myChildren"), match: ["/children", "/students"] }];
    case "teacher":
      return [
        { to: "/sections", label: "My sections", match: ["/sections", "/students"] },
        review,
        { to: "/awards", label: "Pending awards" },
        calibration,
        { to: "/observations", label: "Observations" },
        surveys,
        tracking,
      ];
    case "school_leader":
      return [
        { to: "/dashboard", label: "Dashboard" },
        { to: "/pace", label: "Who needs help" },
        { to: "/sections", label: "Sections", match: ["/sections", "/students"] },
        review,
        { to: "/awards", label: "Pending awards" },
        calibration,
        plan,
        readiness,
        surveys,
        tracking,
      ];
    case "district_leader":
      return [
        { to: "/dashboard", label: "Dashboard" },
        { to: "/pace", label: "Who needs help" },
        { to: "/sections", label: "Sections", match: ["/sections", "/students"] },
        calibration,
        plan,
        readiness,
        surveys,
        tracking,
      ];
    case "admin":
      return [
        { to: "/admin/catalog", label: "Catalog" },
        { to: "/admin/users", label: "Users" },
        { to: "/admin/imports", label: "Import roster" },
        { to: "/admin/standards", label: "Standards" },
        { to: "/admin/sign-in", label: "Sign-in" },
        { to: "/admin/settings", label: "Settings" },
        { to: "/dashboard", label: "Dashboard" },
        { to: "/pace", label: "Who needs help" },
        { to: "/sections", label: "Sections", match: ["/sections", "/students"] },
      ];
  }
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0].toUpperCase())
    .join("");
}

export function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut } = useAuth();
  const t = useT();
  const [languageError, setLanguageError] = useState<string | null>(null);
  const family = translatedRole(me.role);
  const { pathname } = useLocation();
  const [busy, setBusy] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Move focus to the page on navigation so screen readers start at the top.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  const items = navFor(me.role, t);
  const under = (p: string) => pathname === p || pathname.startsWith(p + "/");
  const isActive = (item: NavItem) => (item.match ?? [item.to]).some(under) && !(item.not ?? []).some(under);

  const bar = (
    <>
      <nav aria-label={t("nav.main")} className="mainnav">
        <ul>
          {items.map((item) =>
            item.download ? (
              <li key={item.to}>
                <a href={item.to} download="tracking-sheet.csv" className="navlink" title="Download the tracking sheet as CSV">
                  <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
                    <path d="M8 2v8m0 0l-3.2-3.2M8 10l3.2-3.2M3 13h10" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
                  </svg>
                  {item.label}
                  <span className="sr-only"> (CSV download)</span>
                </a>
              </li>
            ) : (
              <li key={item.to}>
                <Link to={item.to} className="navlink" aria-current={isActive(item) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ),
          )}
        </ul>
      </nav>
      <div className={family ? "userbox has-language" : "userbox"}>
        <span className="avatar" aria-hidden="true">
          {initials(me.name)}
        </span>
        <span className="user-text">
          <span className="user-name">{me.name}</span>
          <span className="user-role">
            {me.role === "student" ? t("role.student") : me.role === "guardian" ? t("role.guardian") : ROLE_LABELS[me.role]}
            {me.school ? ` · ${me.school.name}` : ""}
          </span>
        </span>
        {family && <LanguagePicker onError={setLanguageError} />}
        <NotificationsLink />
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await signOut();
            } finally {
              setBusy(false);
            }
          }}
        >
          {t("nav.signOut")}
        </button>
      </div>
    </>
  );

  return (
    <Frame bar={bar} footer={t("frame.footer")} mainRef={mainRef} skipLabel={t("frame.skip")} homeLabel={t("frame.home")}>
      {languageError && (
        <div className="page language-error">
          <LiveMessage tone="error" message={languageError} onDismiss={() => setLanguageError(null)} />
        </div>
      )}
      {children}
    </Frame>
  );
}

/** Sent on `window` when notifications were marked read, so the bell counts again. */
export const NOTIFICATIONS_READ = "cairn:notifications-read";

/** A bell with the number of unread notifications; refreshed on each page change. */
function NotificationsLink() {
  const t = useT();
  const { pathname } = useLocation();
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .get<{ unread: number }>("/api/v1/me/notifications")
        .then((f) => {
          if (live) setUnread(f.unread);
        })
        .catch(() => {
          // The bell stays quiet; the page says what went wrong.
        });
    void load();
    window.addEventListener(NOTIFICATIONS_READ, load);
    return () => {
      live = false;
      window.removeEventListener(NOTIFICATIONS_READ, load);
    };
  }, [pathname]);
  const label = unread > 0 ? t("notify.linkUnread", { count: unread }) : t("notify.link");
  return (
    <Link to="/notifications" className="btn btn-ghost btn-sm bell" aria-label={label} title={label} aria-current={pathname === "/notifications" ? "page" : undefined}>
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
        <path d="M8 2.2a3.8 3.8 0 0 0-3.8 3.8v2.6L3 10.6h10l-1.2-2V6A3.8 3.8 0 0 0 8 2.2zM6.4 12.4a1.6 1.6 0 0 0 3.2 0" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
      </svg>
      {unread > 0 && <span className="bell-count" aria-hidden="true">{unread}</span>}
    </Link>
  );
}

/**
 * The frame of every page but sign-in, for every role and for the public
 * verifier: a skip link, the top bar (brand, then `bar`), the main region
 * (focusable, the skip link's target) and the footer.
 */
export function Frame({
  className,
  bar,
  footer,
  mainRef,
  skipLabel = "Skip to content",
  homeLabel = "Cairn home",
  children,
}: {
  className?: string;
  bar: ReactNode;
  footer: ReactNode;
  mainRef?: Ref<HTMLElement>;
  skipLabel?: string;
  homeLabel?: string;
  children: ReactNode;
}) {
  return (
    <div className={className ? `app ${className}` : "app"}>
      <a className="skip-link" href="#main">
        {skipLabel}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand" aria-label={homeLabel}>
            <CairnMark size={30} />
            <span className="brand-name">Cairn</span>
          </Link>
          {bar}
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        {children}
      </main>
      <footer className="footer">
        <span>{footer}</span>
      </footer>
    </div>
  );
}
