import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, ApiError, setCsrfToken, setUnauthenticatedHandler } from "./api";
import type { LoginResult, Me, Role } from "./types";
import { navigate } from "./router";

interface AuthState {
  me: Me | null;
  status: "loading" | "signed-in" | "signed-out";
  signIn: (username: string, password: string) => Promise<Me>;
  /** Makes the account an invitation link offers, and signs in with it. */
  acceptInvitation: (token: string, username: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
  expired: boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function homeFor(role: Role): string {
  switch (role) {
    case "student":
      return "/me";
    case "guardian":
      return "/children";
    case "teacher":
      return "/sections";
    case "school_leader":
    case "district_leader":
      return "/dashboard";
    case "admin":
      return "/admin/catalog";
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [status, setStatus] = useState<AuthState["status"]>("loading");
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    let live = true;
    api
      .get<Me>("/api/v1/me")
      .then((m) => {
        if (!live) return;
        setCsrfToken(m.csrf_token);
        setMe(m);
        setStatus("signed-in");
      })
      .catch(() => {
        if (!live) return;
        setStatus("signed-out");
      });
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      // Only a session that was open can have ended; the first /me of a visit is not that.
      setStatus((s) => {
        if (s === "signed-in") setExpired(true);
        return "signed-out";
      });
      setMe(null);
      setCsrfToken("");
    });
    return () => setUnauthenticatedHandler(null);
  }, []);

  // Both ways in answer like a sign-in: a session cookie and its CSRF token.
  const enter = useCallback(async (path: string, body: unknown) => {
    const result = await api.post<LoginResult>(path, body);
    setCsrfToken(result.csrf_token);
    const m = await api.get<Me>("/api/v1/me");
    setCsrfToken(m.csrf_token ?? result.csrf_token);
    setMe(m);
    setExpired(false);
    setStatus("signed-in");
    return m;
  }, []);
  const signIn = useCallback((username: string, password: string) => enter("/api/v1/auth/login", { username, password }), [enter]);
  const acceptInvitation = useCallback(
    (token: string, username: string, password: string) => enter("/api/v1/auth/accept-invitation", { token, username, password }),
    [enter],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post("/api/v1/auth/logout");
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
    setCsrfToken("");
    setMe(null);
    setStatus("signed-out");
    navigate("/login", { replace: true });
  }, []);

  const value = useMemo(() => ({ me, status, signIn, acceptInvitation, signOut, expired }), [me, status, signIn, acceptInvitation, signOut, expired]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}

/** The signed-in person; only for components under a signed-in route. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error("useMe without a session");
  return me;
}

export function canRate(role: Role): boolean {
  return role === "teacher" || role === "school_leader" || role === "admin";
}

export function isStaff(role: Role): boolean {
  return role === "teacher" || role === "school_leader" || role === "district_leader" || role === "admin";
}

export function isLeader(role: Role): boolean {
  return role === "school_leader" || role === "district_leader" || role === "admin";
}
