'use client';

import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { CitizenServicesV1 } from '@/lib/contracts/citizen';
import { loadServices } from './api';

const CACHE = 'liandong.m.services.v1';

/**
 * What /m offers (categories, towns and villages): the phone's copy at once, so a form can be
 * filled with a weak signal, then the server's answer when it comes.
 */
export function useServices(): { services: CitizenServicesV1 | null; failed: boolean } {
  const raw = useSyncExternalStore(noSubscription, () => localStorage.getItem(CACHE), () => null);
  const cached = useMemo(() => parse(raw), [raw]);
  const [fresh, setFresh] = useState<CitizenServicesV1 | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadServices()
      .then((answer) => {
        if (!live) return;
        setFresh(answer);
        try {
          localStorage.setItem(CACHE, JSON.stringify(answer));
        } catch {
          // Full or private storage: next visit loads again.
        }
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);
  return { services: fresh ?? cached, failed: failed && !cached };
}

const noSubscription = () => () => undefined;

function parse(raw: string | null): CitizenServicesV1 | null {
  try {
    const c = JSON.parse(raw ?? 'null') as CitizenServicesV1 | null;
    // A broken or older copy is as good as none.
    return c && Array.isArray(c.categories) && Array.isArray(c.towns) ? c : null;
  } catch {
    return null;
  }
}
