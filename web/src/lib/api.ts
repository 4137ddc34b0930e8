// A small fetch wrapper: JSON in and out, the CSRF token on every write, and
// the server's {"error": {code, message, field, errors}} turned into an ApiError.

let csrfToken = "";
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token ?? "";
}

/** The CSRF token every write sends (X-CSRF-Token), for requests made outside `request`. */
export function csrfHeader(): Record<string, string> {
  return csrfToken ? { "X-CSRF-Token": csrfToken } : {};
}

export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/** One problem of a rejected input: a request field ("badges[1]") and what is wrong there. */
export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly retryAfter?: number;
  /** Every problem the server found in the input (`error.errors`), when it listed them. */
  readonly errors: FieldProblem[];

  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number, errors: FieldProblem[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
    this.errors = errors;
  }
}

type ErrorBody = { error?: { code?: string; message?: string; field?: string; errors?: FieldProblem[] } } | undefined;

/** The ApiError for a non-2xx answer whose body (parsed JSON, or text) is `data`. */
export function apiErrorOf(status: number, data: unknown, fallback: string, retryAfter?: number): ApiError {
  const err = (data as ErrorBody)?.error;
  const errors = Array.isArray(err?.errors) ? err.errors.filter((e) => e && typeof e.field === "string" && typeof e.message === "string") : [];
  return new ApiError(status, err?.code ?? "http_" + status, err?.message ?? fallback, err?.field, retryAfter, errors);
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
    const retry = Number(response.headers.get("Retry-After") ?? "") || undefined;
    const apiError = apiErrorOf(response.status, data, `The server answered ${response.status}.`, retry);
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
