// The bench's wall screens (issue 10): each socket opens /wall?display=<token> as a display bound to a
// station or to the district, so the server puts it in the room the scope rule decides.
import { randomBytes } from 'node:crypto';
import { maySeeStation, reachOf } from '@/lib/access/scope';
import { hashToken } from '../server/auth/token';
import { createPool } from '../server/db/pool';
import type { BenchScreen } from './protocol';

/** One display per station and one district wall, each with a fresh random token. */
export async function createBenchScreens(url: string): Promise<{ district: BenchScreen; stations: BenchScreen[] }> {
  const db = createPool(url, 1);
  try {
    const { rows } = await db.query<{ id: number }>('SELECT id FROM stations ORDER BY id');
    const screens: BenchScreen[] = [null, ...rows.map((r) => r.id)].map((stationId) => ({ stationId, token: randomBytes(24).toString('base64url') }));
    await db.query(
      `INSERT INTO displays (name, station_id, token_hash)
       SELECT '压测大屏 ' || coalesce(s::text, '区'), s, h FROM unnest($1::int[], $2::text[]) AS x(s, h)`,
      [screens.map((s) => s.stationId), screens.map((s) => hashToken(s.token))],
    );
    const [district, ...stations] = screens;
    return { district, stations };
  } finally {
    await db.end();
  }
}

/**
 * The screen of each of `clients` sockets: `districtWalls` district walls first, then station screens
 * round-robin over every station, so each station has as many screens as any other, give or take one.
 */
export function spreadScreens(clients: number, districtWalls: number, screens: { district: BenchScreen; stations: BenchScreen[] }): BenchScreen[] {
  return Array.from({ length: clients }, (_, k) => (k < districtWalls ? screens.district : screens.stations[(k - districtWalls) % screens.stations.length]));
}

/**
 * Which units a screen may receive, by unit id (1: may), from the server's own scope rule applied to
 * a display of that station; `unknown` is the answer for an id outside the array (a unit of no station).
 */
export function unitsInScope(screenStation: number | null, unitStation: Int32Array): { mine: Uint8Array; unknown: number } {
  const reach = reachOf({ role: 'display', stationId: screenStation, department: null });
  return {
    mine: Uint8Array.from(unitStation, (s) => (maySeeStation(reach, s === -1 ? null : s) ? 1 : 0)),
    unknown: maySeeStation(reach, null) ? 1 : 0,
  };
}

/** Station of each unit by id, -1 for none: a flat array the clients index on every fix. */
export function unitStations(units: readonly { id: number; stationId: number | null }[]): Int32Array {
  const byId = new Int32Array(units.reduce((m, u) => Math.max(m, u.id), 0) + 1).fill(-1);
  for (const u of units) byId[u.id] = u.stationId ?? -1;
  return byId;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "3 district walls, 47 station screens", for the log and the report. */
export const describeScreens = (districtWalls: number, stationScreens: number): string =>
  `${count(districtWalls, 'district wall', 'district walls')}, ${count(stationScreens, 'station screen', 'station screens')}`;
