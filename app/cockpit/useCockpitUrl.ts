'use client';

import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_STATE, readState, writeState, type CockpitState } from './state';

/**
 * The desk's state lives in the address bar: each drill or period change is a history entry, so
 * the browser's Back goes back up, and a reload or a shared link shows the same figures.
 */
export function useCockpitUrl(): [CockpitState, (change: Partial<CockpitState>) => void] {
  // The server renders the default; the browser reads its address once mounted.
  const [state, setState] = useState<CockpitState>(DEFAULT_STATE);
  useEffect(() => {
    const read = () => setState(readState(window.location.search));
    read();
    window.addEventListener('popstate', read);
    return () => window.removeEventListener('popstate', read);
  }, []);

  // One change per user action: the patch applies to the state that action saw.
  const change = useCallback(
    (patch: Partial<CockpitState>) => {
      const next = { ...state, ...patch };
      const search = writeState(next);
      if (search !== window.location.search) window.history.pushState(null, '', `${window.location.pathname}${search}`);
      setState(next);
    },
    [state],
  );
  return [state, change];
}
