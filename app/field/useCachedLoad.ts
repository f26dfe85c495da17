'use client';

import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import { load } from './api';

function readCache<T>(key: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(localStorage.getItem(key) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Reference data (categories, village names) that changes rarely: shown from the phone's copy at
 * once, so a report can be written with no signal, and refreshed from the server when it answers.
 * `url` null: not needed yet. Mount only in the browser (the shell renders after login is known).
 */
export function useCachedLoad<T>(cacheKey: string, url: string | null, schema: z.ZodType<T>): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(() => readCache(cacheKey, schema));
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!url) return;
    let live = true;
    void load(url, schema).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.message);
      setData(r.data);
      setError(null);
      try {
        localStorage.setItem(cacheKey, JSON.stringify(r.data));
      } catch {
        // Storage full: fine while online.
      }
    });
    return () => {
      live = false;
    };
  }, [cacheKey, url, schema, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, reload };
}
