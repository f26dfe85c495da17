import { maySeeEvent, reachOf, type Viewer } from '../access/scope';
import type { Role } from '../roles';
import { allowedActions, type EventAction, type EventState } from './machine';

export type { Viewer } from '../access/scope';

export interface ScopeFacts {
  state: EventState;
  stationId: number | null;
  department: string | null;
  /** Departments with a sub-task when the station coordinates (S12 joint remediation). */
  taskDepartments: readonly string[];
  reportedByCitizen: boolean;
}

/** Roles that act only on what was routed to their department, not on the whole station. */
const BY_DEPARTMENT: readonly Role[] = ['dept_staff'];

/**
 * The machine says which roles may take a step; this says on which events: those of the actor's
 * own station (department staff: routed to their department there). An event placed in no
 * station is the district's to see and nobody's to step until it is placed (issue 10: it used to
 * be every station's leaders'). Acting is never wider than seeing (lib/access/scope).
 */
export function inScope(v: Viewer, e: ScopeFacts): boolean {
  if (v.role === 'display') return false;
  const reach = reachOf(v);
  if (reach.kind !== 'station' && reach.kind !== 'department') return false;
  if (BY_DEPARTMENT.includes(v.role) !== (reach.kind === 'department')) return false;
  return maySeeEvent(reach, 0, { ...e, reportedBy: null });
}

/** The buttons the viewer sees on this event. */
export function actionsFor(v: Viewer, e: ScopeFacts): EventAction[] {
  if (!inScope(v, e)) return [];
  return allowedActions(e, v.role);
}
