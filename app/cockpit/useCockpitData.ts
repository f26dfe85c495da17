'use client';

import type { AreaRef, KpiAnswerV1, KpiEventsV1, KpiRankingV1, KpiTrendV1 } from '@/lib/contracts/kpi';
import { parseArea, childKind } from '@/lib/analytics/area';
import type { LiveNudges } from './liveNudges';
import { periodQuery, type CockpitState } from './state';
import { useKpiFeed, type KpiFeed } from './useKpiFeed';

export interface CockpitData {
  kpi: KpiFeed<KpiAnswerV1>;
  ranking: KpiFeed<KpiRankingV1>;
  trend: KpiFeed<KpiTrendV1>;
  events: KpiFeed<KpiEventsV1>;
  /** The page-0 path of the events list, or null when no figure is opened. */
  eventsPath: string | null;
}

/** The four KPI routes (server/http/routes/kpi.ts) for one area and period, each kept live. */
export function useCockpitData(area: AreaRef, state: CockpitState, nudges: LiveNudges, withEvents: boolean): CockpitData {
  const q = periodQuery(area, state).toString();
  const hasChildren = childKind(parseArea(area).kind) !== null;
  const eventsPath =
    withEvents && state.kpi ? `/api/v1/kpi/events?${q}&${new URLSearchParams({ kpi: state.kpi, part: state.part })}` : null;
  const kpi = useKpiFeed<KpiAnswerV1>(`/api/v1/kpi?${q}`, nudges);
  // The tiles first (bench:analytics, first paint): ranking and trends ask once the tiles have an
  // answer, so they do not compete with it for the database.
  const tilesAnswered = kpi.data !== null || kpi.error !== null;
  return {
    kpi,
    ranking: useKpiFeed<KpiRankingV1>(hasChildren && tilesAnswered ? `/api/v1/kpi/ranking?${q}` : null, nudges),
    trend: useKpiFeed<KpiTrendV1>(tilesAnswered ? `/api/v1/kpi/trend?${new URLSearchParams({ area, days: String(state.days) })}` : null, nudges),
    events: useKpiFeed<KpiEventsV1>(eventsPath, nudges),
    eventsPath,
  };
}
