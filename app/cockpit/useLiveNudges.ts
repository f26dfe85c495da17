'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { LiveNudges } from './liveNudges';

/** The board's one /live socket, started in the browser only; and whether it is connected. */
export function useLiveNudges(): { nudges: LiveNudges; connected: boolean } {
  const [nudges] = useState(() => new LiveNudges());
  useEffect(() => {
    nudges.start();
    return () => nudges.stop();
  }, [nudges]);
  const connected = useSyncExternalStore(nudges.subscribe, nudges.getConnected, () => false);
  return { nudges, connected };
}
