import { DISTRICT_ROOM, stationLeadersRoom, type Reach } from '@/lib/access/scope';
import { DISTRICT_ROLES, type Role } from '@/lib/roles';
import type { WarningV1 } from '@/lib/contracts/warnings';
import type { Arg } from '../db/scope';

/*
 * Who sees a warning (issue 13, decided here): the district's roles and district walls all of
 * them; a station's leaders and wall their station's and the district-wide ones (station null:
 * a need no one station owns concerns every station). Warnings are for those who lead and the
 * walls (S9: the deputy chief acts on them), not the field staff, who get tasks from them.
 */

/** Roles that read warnings (a read, so not a permission: the wall holds none, lib/roles.test.ts). */
export const WARNING_READERS: readonly Role[] = [...DISTRICT_ROLES, 'station_chief', 'deputy_chief', 'display'];

export function maySeeWarning(reach: Reach, stationId: number | null): boolean {
  if (reach.kind === 'district') return true;
  if (reach.kind === 'station' || reach.kind === 'department') return stationId === null || stationId === reach.stationId;
  return false;
}

export function warningScopeSql(reach: Reach, column: string, arg: Arg): string {
  if (reach.kind === 'district') return 'true';
  if (reach.kind === 'station' || reach.kind === 'department') return `(${column} IS NULL OR ${column} = ${arg(reach.stationId)})`;
  return 'false';
}

/**
 * A district-wide warning's events span every station: a station's leaders get its figures and
 * words, not other stations' event ids (issue 10's scope rule holds on warnings too).
 */
export function forViewer(w: WarningV1, reach: Reach): WarningV1 {
  return reach.kind === 'district' || w.stationId !== null ? w : { ...w, eventIds: [] };
}

/** The /live rooms a warning is pushed to: the district and its station's leaders, or every station's leaders for a district-wide one. */
export function warningRooms(stationId: number | null, openRooms: Iterable<string>): string[] {
  if (stationId !== null) return [DISTRICT_ROOM, stationLeadersRoom(stationId)];
  return [DISTRICT_ROOM, ...[...openRooms].filter((r) => /^station:\d+:leaders$/.test(r))];
}
