import type { HistoryDispatch, HistoryEventsV1, HistoryIncident, SnapshotV1, TracePoint, TracesV1, UnitTrace } from '@/lib/contracts/history';
import { http } from '@/app/http';

/** What a replay needs, read once: the traces, and the incidents and dispatches of the range. */
export interface Replay {
  from: number;
  to: number;
  units: UnitTrace[];
  traces: Map<number, TracePoint[]>;
  incidents: (HistoryIncident & { reported: number })[];
  dispatches: HistoryDispatch[];
}

export type Who = { units: number[] } | { station: number };

const whoQuery = (who: Who) => ('station' in who ? `station=${who.station}` : `units=${who.units.join(',')}`);
const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());

export async function loadReplay(who: Who, from: number, to: number, signal?: AbortSignal): Promise<Replay> {
  const range = `from=${iso(from)}&to=${iso(to)}`;
  const station = 'station' in who ? `&station=${who.station}` : '';
  const [t, e] = await Promise.all([
    http.get<TracesV1>(`/api/v1/history/traces?${whoQuery(who)}&${range}`, { signal, timeoutMs: 60_000, what: '读取轨迹' }),
    http.get<HistoryEventsV1>(`/api/v1/history/events?${range}${station}`, { signal, timeoutMs: 60_000, what: '读取事件' }),
  ]);
  const units = new Set(t.units.map((u) => u.id));
  return {
    from,
    to,
    units: t.units,
    traces: new Map(t.units.map((u) => [u.id, u.points])),
    incidents: e.incidents.map((i) => ({ ...i, reported: Date.parse(i.reportedAt) })),
    // Asked by units: only their dispatches; by station: the station's.
    dispatches: 'station' in who ? e.dispatches : e.dispatches.filter((d) => units.has(d.unitId)),
  };
}

export function loadSnapshot(who: Who, at: number, signal?: AbortSignal): Promise<SnapshotV1> {
  return http.get<SnapshotV1>(`/api/v1/history/snapshot?${whoQuery(who)}&at=${iso(at)}`, { signal, what: '读取时刻快照' });
}
