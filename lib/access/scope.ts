import { DISTRICT_ROLES, type Role } from '../roles';

/**
 * The one scope rule (issue 10): what a viewer may SEE. Every read (events, photos, units,
 * positions, consultations, dispatches, notices, exports) and every push (Socket.IO rooms) asks
 * `reachOf` and nothing else. What a viewer may DO is narrower and lives beside the actions
 * (lib/events/scope.ts, the command routes); nothing can be changed that cannot be seen.
 */
export interface Viewer {
  role: Role;
  /** The station of a station-bound account or wall display; null means none (and so nothing), except for the roles below. */
  stationId: number | null;
  /** Department staff: their department's code. */
  department: string | null;
}

export type Reach =
  /** District roles (S7 leaves them above the stations), the administrator, a district wall. */
  | { kind: 'district' }
  /** Station leaders, grid staff, mediators, village cadres, a station's wall (S5–S7: one station's business). */
  | { kind: 'station'; stationId: number }
  /** Department staff: what was routed to their department in the station they are stationed at (S5, S12). */
  | { kind: 'department'; stationId: number; department: string }
  /** Volunteers and information volunteers: only what they reported themselves. */
  | { kind: 'own' }
  /** A station role without a station: nothing, until an administrator binds the account. */
  | { kind: 'none' };

/** Public members of the grid (S6): they report, they do not read the station's cases. */
const OWN_ONLY: readonly Role[] = ['volunteer', 'grid_info'];

export function reachOf(v: Viewer): Reach {
  // A wall display is bound to a station or, explicitly when its screen record says so, to the district.
  if (v.role === 'display') return v.stationId === null ? { kind: 'district' } : { kind: 'station', stationId: v.stationId };
  if (DISTRICT_ROLES.includes(v.role)) return { kind: 'district' };
  if (OWN_ONLY.includes(v.role)) return { kind: 'own' };
  if (v.stationId === null) return { kind: 'none' };
  if (v.role === 'dept_staff')
    return v.department === null ? { kind: 'none' } : { kind: 'department', stationId: v.stationId, department: v.department };
  return { kind: 'station', stationId: v.stationId };
}

/** What the rule needs to know of an event. */
export interface EventFacts {
  stationId: number | null;
  department: string | null;
  /** Departments with a joint-remediation sub-task (S12). */
  taskDepartments: readonly string[];
  /** The account that reported it (null: a source system or a citizen). */
  reportedBy: number | null;
}

/** Whether the viewer (account `uid`, 0 for a display) may see this event; a reporter always sees their own report. */
export function maySeeEvent(reach: Reach, uid: number, e: EventFacts): boolean {
  if (uid > 0 && e.reportedBy === uid) return true;
  switch (reach.kind) {
    case 'district':
      return true;
    case 'station':
      return e.stationId === reach.stationId;
    case 'department':
      return e.stationId === reach.stationId && (e.department === reach.department || e.taskDepartments.includes(reach.department));
    default:
      return false;
  }
}

/** Whether the viewer may see a unit (its position, its dispatches) of this station. */
export function maySeeStation(reach: Reach, stationId: number | null): boolean {
  if (reach.kind === 'district') return true;
  if (reach.kind === 'station' || reach.kind === 'department') return stationId !== null && stationId === reach.stationId;
  return false;
}

/** The Socket.IO room of a station's live feed, and of the whole district. */
export const DISTRICT_ROOM = 'district';
export const stationRoom = (stationId: number): string => `station:${stationId}`;
export const departmentRoom = (stationId: number, department: string): string => `station:${stationId}:dept:${department}`;
/** Department staff see the station's forces on their map (they are dispatched alongside them, S12), not its other events. */
export const stationUnitsRoom = (stationId: number): string => `station:${stationId}:units`;

/** A station's leaders and its wall: warnings go here, not to everyone of the station (issue 13). */
export const stationLeadersRoom = (stationId: number): string => `station:${stationId}:leaders`;

/** The live rooms a viewer's sockets join; a push goes to the rooms of what it concerns. */
export function roomsOf(reach: Reach): string[] {
  switch (reach.kind) {
    case 'district':
      return [DISTRICT_ROOM];
    case 'station':
      return [stationRoom(reach.stationId)];
    case 'department':
      return [departmentRoom(reach.stationId, reach.department), stationUnitsRoom(reach.stationId)];
    default:
      return [];
  }
}

/** Rooms that must receive an event's push: the district, its station, and the departments it was routed to there. */
export function eventRooms(e: Pick<EventFacts, 'stationId' | 'department' | 'taskDepartments'>): string[] {
  if (e.stationId === null) return [DISTRICT_ROOM];
  const departments = new Set([...(e.department ? [e.department] : []), ...e.taskDepartments]);
  return [DISTRICT_ROOM, stationRoom(e.stationId), ...[...departments].map((d) => departmentRoom(e.stationId!, d))];
}

/** Rooms of one station's position feed (a socket is in at most one of them). */
export function stationFeedRooms(stationId: number): string[] {
  return [stationRoom(stationId), stationUnitsRoom(stationId)];
}
