'use client';

import { useEffect, useState } from 'react';

/** A pointer left still this long is hidden: a wall has nobody at it, and a stray arrow sits on the map. */
export const CURSOR_IDLE_MS = 3000;

/** True while the pointer has not moved for CURSOR_IDLE_MS (from the start: a wall boots with nobody at it). */
export function useIdleCursor(): boolean {
  const [idle, setIdle] = useState(true);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const woke = () => {
      setIdle(false);
      clearTimeout(timer);
      timer = setTimeout(() => setIdle(true), CURSOR_IDLE_MS);
    };
    const events = ['pointermove', 'pointerdown', 'wheel', 'keydown'] as const;
    for (const e of events) window.addEventListener(e, woke, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, woke);
    };
  }, []);

  return idle;
}
