'use client';

import { useEffect, useState } from 'react';
import type { StationStarsV1 } from '@/lib/contracts/scores';
import { http } from '@/app/http';

/*
 * Stars change once a month, when the scoring job freezes the month that ended (S14 星级联动站):
 * asking every ten minutes is already far more than needed and costs one small GET. A failure keeps
 * the last answer (the wall runs unattended) and tries again at the next turn, never sooner.
 */
export const STARS_REFRESH_MS = 10 * 60_000;

const EMPTY: ReadonlyMap<number, StationStarsV1> = new Map();

/** The latest frozen month's stars by station id; empty until the first answer, or for a session that may not read them. */
export function useStationStars(): ReadonlyMap<number, StationStarsV1> {
  const [stars, setStars] = useState(EMPTY);
  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      http.get<StationStarsV1[]>('/api/v1/assessment/stars', { signal: controller.signal }).then(
        (rows) => setStars(new Map(rows.map((r) => [r.stationId, r]))),
        () => undefined,
      );
    void load();
    const timer = setInterval(load, STARS_REFRESH_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, []);
  return stars;
}
