'use client';

import { useEffect, useState } from 'react';
import { LiveStore } from '@/app/live/store';

/** The screen's one live connection, started in the browser only and exposed to e2e tests as window.__wall.store. */
export function useWallStore(): LiveStore {
  // Created on the server too (for the first paint's empty panels) but only started in the browser.
  const [store] = useState(() => new LiveStore());
  useEffect(() => {
    store.start();
    window.__wall = { ...window.__wall, store };
    return () => {
      store.stop();
      if (window.__wall?.store === store) delete window.__wall.store;
    };
  }, [store]);
  return store;
}
