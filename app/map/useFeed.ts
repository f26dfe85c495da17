'use client';

import { useEffect, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { http } from '@/app/http';

export type Feed<T> = { data: T | null; failed: boolean };

/** Cheap fingerprint, so an unchanged payload neither re-renders nor re-tiles the map. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${h >>> 0}`;
}

function isFeatureCollection(value: unknown): value is FeatureCollection {
  return (
    typeof value === 'object' && value !== null &&
    (value as { type?: unknown }).type === 'FeatureCollection' &&
    Array.isArray((value as { features?: unknown }).features)
  );
}

const RETRY_MS = 15_000;
/** Before the first answer a screen has nothing to show: it asks again soon (1, 2, 4 … s, then every RETRY_MS). */
const FIRST_RETRY_MS = 1_000;

/**
 * Loads a GeoJSON feed from our own server and reloads it every `refreshMs`. A wall runs
 * unattended, so a failure keeps the last good data and retries on its own instead of going blank.
 */
export function useFeed<T extends FeatureCollection>(url: string, refreshMs: number): Feed<T> {
  const [feed, setFeed] = useState<Feed<T>>({ data: null, failed: false });

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    let last = '';
    let failures = 0;
    const load = async () => {
      controller = new AbortController();
      try {
        const text = await http.text(url, { signal: controller.signal });
        const print = fingerprint(text);
        if (print !== last) {
          const json: unknown = JSON.parse(text);
          if (!isFeatureCollection(json)) throw new Error(`${url}: not a FeatureCollection`);
          last = print;
          setFeed({ data: json as T, failed: false });
        } else {
          setFeed((f) => (f.failed ? { ...f, failed: false } : f));
        }
        failures = 0;
        timer = setTimeout(load, refreshMs);
      } catch (error) {
        if (controller.signal.aborted) return;
        console.warn(error);
        setFeed((f) => (f.failed ? f : { ...f, failed: true }));
        // A server restarting while a wall loads (issue 11's faults): the map comes back within seconds, not a quarter-minute.
        timer = setTimeout(load, last === '' ? Math.min(RETRY_MS, FIRST_RETRY_MS * 2 ** failures++) : RETRY_MS);
      }
    };
    void load();
    return () => {
      clearTimeout(timer);
      controller?.abort();
    };
  }, [url, refreshMs]);

  return feed;
}
