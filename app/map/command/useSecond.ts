'use client';

import { useEffect, useState } from 'react';

/** Epoch ms, re-rendering every second while `on` (countdowns and elapsed times); 0 before mounting. */
export function useSecond(on: boolean, offset = 0): number {
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (!on) return;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      setNow(Date.now() + offset);
      timer = setTimeout(tick, 1000 - (Date.now() % 1000));
    };
    tick();
    return () => clearTimeout(timer);
  }, [on, offset]);
  return now;
}
