import { z } from 'zod';
import { IncidentV1 } from '@/lib/contracts/live';

/*
 * What the wall accepts from the server's HTTP routes and socket. Kinds and statuses stay plain
 * strings here: a kind added on the server must not make the whole unit list unreadable; the wall
 * draws a kind it does not know in grey.
 */
export const UnitInfo = z.object({
  id: z.number().int().nonnegative(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  stationId: z.number().int().nullable(),
  isTeam: z.boolean(),
});
export type UnitInfo = z.infer<typeof UnitInfo>;

export const UnitList = z.array(UnitInfo);

export const LiveIncidents = z.object({ seq: z.number().int().nonnegative(), incidents: z.array(IncidentV1) });

export const Hello = z.object({ serverTime: z.string(), role: z.string() });

export const HEAT_WINDOWS = ['24h', '7d', '30d'] as const;
export type HeatWindow = (typeof HEAT_WINDOWS)[number];

export const HeatCells = z.object({
  window: z.enum(HEAT_WINDOWS),
  cells: z.array(z.tuple([z.number(), z.number(), z.number()])),
});
export type HeatCell = z.infer<typeof HeatCells>['cells'][number];

/** The socket's answer to `snapshot`; positions arrive as an ArrayBuffer in the browser. */
export function readSnapshotReply(reply: unknown): { seq: number; bytes: Uint8Array } | null {
  if (typeof reply !== 'object' || reply === null) return null;
  const { seq, positions } = reply as { seq?: unknown; positions?: unknown };
  if (typeof seq !== 'number' || !Number.isInteger(seq)) return null;
  if (positions instanceof ArrayBuffer) return { seq, bytes: new Uint8Array(positions) };
  if (ArrayBuffer.isView(positions)) return { seq, bytes: new Uint8Array(positions.buffer, positions.byteOffset, positions.byteLength) };
  return null;
}
