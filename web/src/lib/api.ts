// A small fetch wrapper: JSON in and out, the CSRF token on every write, and
// the server's {"error": {code, message, field}} turned into an ApiError.

let csrfToken = "";
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token ?? "";
}

export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "Cairn could not be reached. Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    const retry = Number(response.headers.get("Retry-After") ?? "") || undefined;
    const apiError = new ApiError(
      response.status,
      err?.code ?? "http_" + response.status,
      err?.message ?? `The server answered ${response.status}.`,
      err?.field,
      retry,
    );
    if (response.status === 401 && !path.endsWith("/auth/login") && onUnauthenticated) onUnauthenticated();
    throw apiError;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>("PUT", path, body ?? {}),
  del: <T>(path: string) => request<T>("DELETE", path),
};

export function enc(s: string): string {
  return encodeURIComponent(s);
}

/** A user-facing message for any error thrown by the API layer. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 403 && e.code === "csrf") return "Your session needs a refresh. Reload the page and try again.";
    return capitalize(e.message);
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

export function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** The message without its "field: " prefix, for showing next to that field. */
export function fieldMessage(e: ApiError): string {
  if (e.field && e.message.startsWith(e.field + ": ")) return capitalize(e.message.slice(e.field.length + 2));
  return capitalize(e.message);
}
