import { hold, plausibleAfter, startCadence, type Cadence } from '@/lib/sim/cadence';
import { uniform, type Rand } from '@/lib/sim/draw';
import type { LonLat } from '@/lib/sim/geometry';
import { moverKind, type Mover } from '@/lib/sim/mover';
import { createVehicle } from '@/lib/sim/vehicle';
import { createWalker } from '@/lib/sim/walker';
import type { Fix } from '@/lib/live/validate';
import type { World } from './world';

/** One simulated unit: how it moves, when it reports, and what it last sent. */
export interface SimUnit {
  id: number;
  code: string;
  mover: Mover;
  cadence: Cadence;
  accuracy: number;
  /** Time of the newest fix this simulator sent, or took over from another device. */
  lastSent: number;
  /**
   * A unit whose phone is already off at start and that never reported owes the fix it sent
   * just before going quiet, so the wall shows it stale rather than not at all.
   */
  lastWords: number | null;
  /** Places the unit afresh at `t`, from `from` when it may (a restart, a phone handing it back). */
  respawn(t: number, from?: Fix): void;
}

export interface Roster {
  units: SimUnit[];
  walkers: number;
  vehicles: number;
  /** Units with no grid or station to move in. */
  skipped: number;
}

export function buildRoster(world: World, last: ReadonlyMap<number, Fix>, now: number, periodMs: number, rand: Rand): Roster {
  const roster: Roster = { units: [], walkers: 0, vehicles: 0, skipped: 0 };
  for (const row of world.units) {
    const kind = moverKind(row.kind, row.isTeam);
    const grid = row.gridCode ? world.grids.get(row.gridCode) : undefined;
    const station = row.stationId !== null ? world.stations.get(row.stationId) : undefined;
    let spawn: (t: number, from?: Fix) => { mover: Mover; resumed: boolean };
    if (kind === 'walker' && grid && grid.points.length > 0) {
      spawn = (t, from) => {
        const w = createWalker(grid.area, grid.points, t, rand, from && ([from.lon, from.lat] as LonLat), grid.visits);
        return { mover: w.walker, resumed: w.resumed };
      };
      roster.walkers += 1;
    } else if (kind === 'vehicle' && station) {
      spawn = (t, from) => ({ mover: createVehicle(station.at, station.villages, t, rand, from && [from.lon, from.lat]), resumed: !!from });
      roster.vehicles += 1;
    } else {
      roster.skipped += 1;
      continue;
    }
    const unit: SimUnit = {
      id: row.id,
      code: row.code,
      mover: spawn(now, undefined).mover,
      cadence: startCadence(now, periodMs, rand),
      accuracy: Math.round(kind === 'walker' ? uniform(rand, 4, 15) : uniform(rand, 3, 8)),
      lastSent: now,
      lastWords: null,
      respawn(t, from) {
        const s = spawn(t, from);
        unit.mover = s.mover;
        // Somewhere else than the last fix: stay silent until getting there would have been possible.
        if (from && !s.resumed) hold(unit.cadence, plausibleAfter(from, s.mover.leg.to));
      },
    };
    const from = last.get(row.id);
    unit.respawn(now, from);
    if (!from && now >= unit.cadence.quietFrom && now < unit.cadence.quietUntil) unit.lastWords = unit.cadence.quietFrom;
    roster.units.push(unit);
  }
  return roster;
}
