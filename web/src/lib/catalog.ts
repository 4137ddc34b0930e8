import { useEffect, useState } from "react";
import { api } from "./api";
import type { Catalog, CatalogBadge, Scale } from "./types";

// The catalog changes rarely (an admin loads a new version), so it is fetched
// once per page load and shared; the editor invalidates it after a save.
let cached: Promise<Catalog> | null = null;
const subscribers = new Set<(c: Catalog) => void>();

export function loadCatalog(force = false): Promise<Catalog> {
  if (!cached || force) {
    cached = api.get<Catalog>("/api/v1/catalog");
    cached.then((c) => subscribers.forEach((s) => s(c))).catch(() => {
      cached = null;
    });
  }
  return cached;
}

export function useCatalog(): { catalog: Catalog | undefined; error: unknown } {
  const [catalog, setCatalog] = useState<Catalog | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    let live = true;
    loadCatalog().then((c) => live && setCatalog(c)).catch((e) => live && setError(e));
    const sub = (c: Catalog) => live && setCatalog(c);
    subscribers.add(sub);
    return () => {
      live = false;
      subscribers.delete(sub);
    };
  }, []);
  return { catalog, error };
}

export function findBadge(catalog: Catalog | undefined, code: string): CatalogBadge | undefined {
  return catalog?.badges.find((b) => b.code === code);
}

export function scaleOf(catalog: Catalog | undefined, badge: CatalogBadge | undefined): Scale | undefined {
  if (!catalog) return undefined;
  const id = badge?.scale ?? catalog.default_scale ?? catalog.scales[0]?.id;
  return catalog.scales.find((s) => s.id === id) ?? catalog.scales[0];
}
