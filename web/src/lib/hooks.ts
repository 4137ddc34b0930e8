import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "./api";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (update: T | ((old: T | undefined) => T | undefined)) => void;
}

/** GETs a path (null: nothing) and keeps the answer; reload() fetches again in place. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState<boolean>(path !== null);
  const latest = useRef(path);
  latest.current = path;

  const load = useCallback(async (p: string | null, keep: boolean) => {
    if (p === null) return;
    if (!keep) setData(undefined);
    setLoading(true);
    setError(undefined);
    try {
      const result = await api.get<T>(p);
      if (latest.current === p) setData(result);
    } catch (e) {
      if (latest.current === p) setError(e);
    } finally {
      if (latest.current === p) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(path, false);
  }, [path, load]);

  const reload = useCallback(() => load(latest.current, true), [load]);
  return { data, error, loading, reload, setData };
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Cairn` : "Cairn";
  }, [title]);
}
