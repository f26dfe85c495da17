'use client';

import { useEffect, useState } from 'react';

const MINUTE = 60_000;

/**
 * Server time, floored to the minute, that changes on each minute boundary: countdowns are shown
 * to the minute, so a second ticker would only re-render 5,000 rows for nothing. `serverNow` reads
 * the server's clock (the live store knows its offset), like the deadlines it is compared with.
 */
export function useMinute(serverNow: () => number): number {
  const [minute, setMinute] = useState(() => Math.floor(serverNow() / MINUTE) * MINUTE);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const now = serverNow();
      setMinute(Math.floor(now / MINUTE) * MINUTE);
      timer = setTimeout(schedule, MINUTE - (now % MINUTE) + 50);
    };
    schedule();
    return () => clearTimeout(timer);
  }, [serverNow]);
  return minute;
}
