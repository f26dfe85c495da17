import { z } from 'zod';

/*
 * History playback (issue 12, part 5): the traces of units over a time range, where everyone was
 * at one moment, and the incidents and dispatches of the range. Shared by the routes
 * (server/http/routes/history.ts) and the pages (/console/history, the wall's 回放).
 */

/** A trace is at most a day: a unit's day is ~17,000 fixes, a station's day ~1.4 million. */
export const MAX_TRACE_HOURS = 24;
/** Incidents and dispatches of at most a week, for the range a replay can show. */
export const MAX_EVENT_HOURS = 24 * 7;
/** At most this many units asked by id; a station's units are asked by its id. */
export const MAX_UNITS = 200;

const Instant = z.iso.datetime({ offset: true, error: '须为带时区的 ISO 8601 时间，如 2025-01-31T08:00:00+08:00' });
const Id = z.coerce.number({ error: '须为正整数' }).int('须为正整数').positive('须为正整数').max(2_147_483_647, '超出范围');

/** "1,2,3" → [1, 2, 3], each a positive id. */
const UnitList = z
  .string()
  .regex(/^\d{1,10}(,\d{1,10})*$/, '须为以逗号分隔的单元 id，如 1,2,3')
  .transform((s) => [...new Set(s.split(',').map(Number))])
  .pipe(z.array(z.number().int().positive('须为正整数').max(2_147_483_647, '超出范围')).max(MAX_UNITS, `最多 ${MAX_UNITS} 个单元`));

/** Either units or a station, exactly one. */
const Who = z.object({ units: UnitList.optional(), station: Id.optional() });
const oneOf = (v: { units?: number[]; station?: number }) => (v.units === undefined) !== (v.station === undefined);
const ONE_OF = { message: '须给出 units 或 station 之一', path: ['units'] };

const hoursBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

/** GET /api/v1/history/traces */
export const TracesQuery = Who.extend({ from: Instant, to: Instant })
  .refine(oneOf, ONE_OF)
  .refine((v) => hoursBetween(v.from, v.to) > 0, { message: 'to 须晚于 from', path: ['to'] })
  .refine((v) => hoursBetween(v.from, v.to) <= MAX_TRACE_HOURS, { message: `时间范围最长 ${MAX_TRACE_HOURS} 小时`, path: ['to'] });
export type TracesQuery = z.infer<typeof TracesQuery>;

/** GET /api/v1/history/snapshot */
export const SnapshotQuery = Who.extend({
  at: Instant,
  /** How old a fix may be and still say where the unit was; default 10 minutes. */
  withinMin: z.coerce.number({ error: '须为整数' }).int('须为整数').min(1, '至少 1 分钟').max(120, '最多 120 分钟').optional(),
}).refine(oneOf, ONE_OF);
export type SnapshotQuery = z.infer<typeof SnapshotQuery>;

/** GET /api/v1/history/events */
export const HistoryEventsQuery = z
  .object({ from: Instant, to: Instant, station: Id.optional() })
  .refine((v) => hoursBetween(v.from, v.to) > 0, { message: 'to 须晚于 from', path: ['to'] })
  .refine((v) => hoursBetween(v.from, v.to) <= MAX_EVENT_HOURS, { message: `时间范围最长 ${MAX_EVENT_HOURS / 24} 天`, path: ['to'] });
export type HistoryEventsQuery = z.infer<typeof HistoryEventsQuery>;

/** One fix: epoch milliseconds, WGS-84 longitude and latitude. */
export type TracePoint = [t: number, lon: number, lat: number];

export interface HistoryUnit {
  id: number;
  code: string;
  name: string;
  kind: string;
  isTeam: boolean;
  stationId: number | null;
}

export interface UnitTrace extends HistoryUnit {
  /** Oldest first. */
  points: TracePoint[];
}

export interface TracesV1 {
  from: string;
  to: string;
  units: UnitTrace[];
}

export interface SnapshotV1 {
  at: string;
  withinMin: number;
  units: (HistoryUnit & { t: number; lon: number; lat: number })[];
}

export interface HistoryIncident {
  id: number;
  title: string;
  category: string;
  severity: string;
  state: string;
  reportedAt: string;
  lon: number;
  lat: number;
  stationId: number | null;
}

export interface HistoryDispatch {
  id: number;
  eventId: number;
  unitId: number;
  unitName: string;
  state: string;
  createdAt: string;
  /** When it ended (cleared or cancelled), or null while still running. */
  endedAt: string | null;
  /** Where the unit was when dispatched (null: not known), and the event's place. */
  origin: { lon: number; lat: number } | null;
  target: { lon: number; lat: number };
  /** Its steps (acknowledged, en route, on scene…) with their times. */
  steps: { at: string; step: string; toState: string }[];
}

export interface HistoryEventsV1 {
  from: string;
  to: string;
  incidents: HistoryIncident[];
  dispatches: HistoryDispatch[];
}

export interface InspectionRouteV1 {
  inspection: { id: number; kind: string; day: string; area: string; participants: string[]; stationId: number };
  from: string;
  to: string;
  /** The participants matched to units of the station, with their traces over the day. */
  units: (UnitTrace & { person: string })[];
  /** Participants no unit of the station answers to (a namesake elsewhere is not guessed at). */
  unmatched: string[];
}
