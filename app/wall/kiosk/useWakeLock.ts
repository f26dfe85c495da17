'use client';

import { useEffect, useState } from 'react';

export type WakeLockState = 'pending' | 'held' | 'released' | 'refused' | 'unsupported';

/**
 * Keeps the screen on while the wall shows (issue 13). The browser drops the lock whenever the page
 * is hidden, so it is asked for again each time the page becomes visible.
 */
export function useWakeLock(): WakeLockState {
  const [state, setState] = useState<WakeLockState>('pending');

  useEffect(() => {
    const wakeLock = typeof navigator !== 'undefined' ? navigator.wakeLock : undefined;
    let sentinel: WakeLockSentinel | null = null;
    let stopped = false;
    const acquire = async () => {
      // Told after the effect, like any answer: browsers without the API (or over plain HTTP) have none.
      if (!wakeLock) return void (!stopped && setState('unsupported'));
      if (document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
      try {
        const lock = await wakeLock.request('screen');
        if (stopped) {
          void lock.release();
          return;
        }
        sentinel = lock;
        setState('held');
        lock.addEventListener('release', () => !stopped && setState('released'));
      } catch (error) {
        // Refused (no permission, or the page lost visibility meanwhile); tried again on the next visibility change.
        console.warn('[wall] wake lock:', error instanceof Error ? error.message : error);
        if (!stopped) setState('refused');
      }
    };
    void acquire();
    const onVisibility = () => void acquire();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      document.removeEventListener('visibilitychange', onVisibility);
      void sentinel?.release();
    };
  }, []);

  return state;
}
