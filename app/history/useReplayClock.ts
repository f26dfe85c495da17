'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { advance, clockOf, pause, play, seek, withSpeed, type Clock, type Speed } from '@/lib/history/clock';

/** The replay's clock driven by animation frames while playing; the frame rate is the browser's. */
export function useReplayClock(from: number, to: number) {
  const [clock, setClock] = useState<Clock>(() => clockOf(from, to));
  const last = useRef<number | null>(null);
  // A new range (another replay loaded) starts paused at its beginning, at the speed chosen.
  if (clock.from !== from || clock.to !== to) setClock(clockOf(from, to, clock.speed));

  useEffect(() => {
    if (!clock.playing) {
      last.current = null;
      return;
    }
    let frame = 0;
    const step = (now: number) => {
      const elapsed = last.current === null ? 0 : now - last.current;
      last.current = now;
      setClock((c) => advance(c, elapsed));
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [clock.playing]);

  return {
    clock,
    toggle: useCallback(() => setClock((c) => (c.playing ? pause(c) : play(c))), []),
    seek: useCallback((t: number) => setClock((c) => seek(c, t)), []),
    setSpeed: useCallback((s: Speed) => setClock((c) => withSpeed(c, s)), []),
  };
}
