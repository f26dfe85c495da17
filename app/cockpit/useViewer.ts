'use client';

import { useEffect, useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { http, HttpError } from '@/app/http';
import { leaveIfSignedOut } from '@/app/live/signedOut';

const RETRY_MS = 5000;

export type Viewer = { state: 'loading' } | { state: 'ok'; me: Me } | { state: 'failed'; message: string };

/**
 * Who is looking: their role decides whether the cockpit opens and where (a station leader's own
 * station). A lapsed session goes to the login page and back; anything else is retried, since a
 * wall showing the cockpit has nobody to press reload.
 */
/**
 * Asked as soon as the page's script runs, before React has drawn anything: the KPI requests wait
 * for the answer (the viewer's station is the default area), and first paint waits for them.
 */
let early: Promise<Me> | null = typeof window === 'undefined' ? null : http.get<Me>('/api/v1/auth/me');
early?.catch(() => undefined);

export function useViewer(): Viewer {
  const [viewer, setViewer] = useState<Viewer>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      const asked = early ?? http.get<Me>('/api/v1/auth/me', { signal: controller.signal });
      early = null;
      asked.then(
        (me) => setViewer({ state: 'ok', me }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          if (error instanceof HttpError && error.status === 401) {
            void leaveIfSignedOut();
            return;
          }
          setViewer({ state: 'failed', message: error instanceof HttpError ? error.message : '网络错误，请稍后重试' });
          timer = setTimeout(load, RETRY_MS);
        },
      );
    };
    load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, []);
  return viewer;
}
