import { z } from 'zod';
import { BigId, SerialId } from './numeric';
import { Lat, Lon } from './place';

/**
 * The live backbone's contract, version 1. Another system may publish straight into it
 * (see README "Live backbone"); every source passes the same validation.
 */
export const CHANNELS = {
  /** Stream (XADD) of raw positions from outside systems; one server process consumes each entry. */
  positionsIn: 'positions.in.v1',
  /** Pub/sub of validated positions, binary-packed (see lib/live/pack.ts), fanned out to every process. */
  positions: 'positions.v1',
  /** Pub/sub of committed incidents (JSON IncidentV1). */
  incidents: 'incidents.v1',
} as const;

/** The latest position of each unit lives in this Redis hash (field: unit code). */
export const LATEST_KEY = 'units.latest.v1';

export const MAX_BATCH = 1000;

/** The latest instant a JS Date can hold; the validation's future and age limits narrow t further. */
export const MAX_TIME_MS = 8.64e15;
/**
 * Twice the fastest a patrol can move (lib/live/validate MAX_SPEED_MS): a fast real fix keeps its
 * speed, a nonsense one is refused before it reaches the `real` column (float4 overflows at 3.4e38).
 */
export const MAX_REPORTED_SPEED_MS = 100;
/** A fix claiming to be wrong by more than 10 km says nothing about where the unit is. */
export const MAX_ACCURACY_M = 10_000;

/** One position report. Times are epoch milliseconds; speed m/s; heading degrees from north; accuracy metres. */
export const PositionV1 = z.object({
  unit: z.string().min(1).max(64),
  t: z.number().int().positive().max(MAX_TIME_MS),
  lon: Lon,
  lat: Lat,
  speed: z.number().min(0).max(MAX_REPORTED_SPEED_MS).optional(),
  heading: z.number().min(0).max(360).optional(),
  accuracy: z.number().min(0).max(MAX_ACCURACY_M).optional(),
});
export type PositionV1 = z.infer<typeof PositionV1>;

export const PositionBatchV1 = z.object({
  v: z.literal(1),
  positions: z.array(z.unknown()).min(1).max(MAX_BATCH, `at most ${MAX_BATCH} positions per batch`),
});

export const REJECT_REASONS = [
  'malformed',
  'not_finite',
  'outside_area',
  /** No district outline imported yet (a new production deployment). */
  'no_geography',
  'future',
  'too_old',
  'impossible_speed',
  'unknown_unit',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejection {
  index: number;
  reason: RejectReason;
  message: string;
}

export const INCIDENT_SEVERITIES = ['low', 'normal', 'high', 'critical'] as const;
export const IncidentSeverity = z.enum(INCIDENT_SEVERITIES);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;

/** An incident as the wall sees it: a committed event, published after its commit. */
export const IncidentV1 = z.object({
  v: z.literal(1),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  id: BigId,
  category: z.string(),
  categoryLabel: z.string(),
  title: z.string(),
  severity: IncidentSeverity,
  state: z.string(),
  lon: Lon,
  lat: Lat,
  gridCode: z.string().nullable(),
  stationId: SerialId.nullable(),
  reportedAt: z.string(),
  deadlineAt: z.string().nullable(),
  // Added with the closed loop (issue 4); optional so earlier publishers stay valid.
  redAt: z.string().nullable().default(null),
  card: z.enum(['none', 'yellow', 'red']).default('none'),
  department: z.string().nullable().default(null),
  villageCode: z.string().nullable().default(null),
  duplicateOf: BigId.nullable().default(null),
  /** Who holds the soft lock, by name (issue 4: others see who is on it). */
  lockedBy: z.string().nullable().default(null),
  source: z.string().default('unknown'),
  /** Departments with a joint-remediation sub-task (S12): their staff's screens hear the event too (issue 10). */
  taskDepartments: z.array(z.string()).default([]),
  // Added with the citizens' channel (issue 14): the queue marks what residents sent and answers it; never who sent it.
  kind: z.string().default('problem'),
  /** A complaint's earlier event (S14). */
  aboutEventId: BigId.nullable().default(null),
  /** A resident's complaint reopened this event's supervision (投诉督办). */
  supervisionReopened: z.boolean().default(false),
});
export type IncidentV1 = z.infer<typeof IncidentV1>;
/** What a publisher sends; the defaults fill the rest. */
export type IncidentV1Input = z.input<typeof IncidentV1>;
