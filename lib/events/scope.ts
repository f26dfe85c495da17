import type { Role } from '../roles';
import { allowedActions, type EventAction, type EventState } from './machine';

/** Who is looking at an event: their role and where they belong. */
export interface Viewer {
  role: Role;
  stationId: number | null;
  /** For department staff: their department's code. */
  department: string | null;
}

export interface ScopeFacts {
  state: EventState;
  stationId: number | null;
  department: string | null;
  /** Departments with a sub-task when the station coordinates (S12 joint remediation). */
  taskDepartments: readonly string[];
  reportedByCitizen: boolean;
}

/**
 * The machine says which roles may take a step; this says on which events. Leaders and grid staff
 * act in their own station (an event placed in no station is every leader's); department staff on
 * what was routed to their department.
 */
export function inScope(v: Viewer, e: ScopeFacts): boolean {
  if (v.role === 'dept_staff')
    return v.department !== null && (e.department === v.department || e.taskDepartments.includes(v.department));
  if (v.role === 'station_chief' || v.role === 'deputy_chief') return e.stationId === null || e.stationId === v.stationId;
  return v.stationId !== null && e.stationId === v.stationId;
}

/** The buttons the viewer sees on this event. */
export function actionsFor(v: Viewer, e: ScopeFacts): EventAction[] {
  if (!inScope(v, e)) return [];
  return allowedActions(e, v.role);
}
