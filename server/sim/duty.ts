import type { Db } from '../db/pool';
import { acceptedFixes, ShiftOpener } from '../live/duty';
import type { PositionDoor } from './positions';
import type { SimUnit } from './roster';

/**
 * The simulator's units are on duty while it moves them (issue 12): its door into the ingest opens
 * a 'sim' shift for each unit whose fixes were taken and that has none open. A unit handed over to
 * a real phone sends nothing here, and keeps the phone's shift; the duty job ends a quiet unit's.
 */
export function withSimDuty(db: Db, units: readonly SimUnit[], door: PositionDoor): PositionDoor {
  const ids = new Map(units.map((u) => [u.code, u.id]));
  const opener = new ShiftOpener(db, 'sim');
  return {
    async ingest(items) {
      const result = await door.ingest(items);
      await opener.seen(acceptedFixes({ idOf: (code) => ids.get(code) }, items, result.rejected));
      return result;
    },
  };
}
