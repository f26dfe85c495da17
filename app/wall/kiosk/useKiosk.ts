'use client';

import { useBuildWatch } from './useBuildWatch';
import { useIdleCursor } from './useIdleCursor';
import { useWakeLock } from './useWakeLock';

/**
 * What lets a wall run with nobody at it (issue 13): the cursor out of sight, the screen kept on,
 * and new pages taken up on their own after an upgrade. Reconnecting forever is the live store's
 * (app/live/store.ts). Spread the answer on the screen's root element.
 */
export function useKiosk(): { 'data-cursor': 'hidden' | 'shown'; 'data-wake-lock': string } {
  useBuildWatch();
  const idle = useIdleCursor();
  const wakeLock = useWakeLock();
  return { 'data-cursor': idle ? 'hidden' : 'shown', 'data-wake-lock': wakeLock };
}
