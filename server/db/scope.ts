import type { Reach } from '@/lib/access/scope';

/** Appends a value to a query's argument list and returns its placeholder. */
export type Arg = (value: unknown) => string;

/**
 * The scope rule of lib/access/scope as SQL over events aliased `e`: the same answers as
 * `maySeeEvent` (a test holds the two together), so a list can never show what the detail refuses.
 */
export function eventScopeSql(reach: Reach, uid: number, arg: Arg): string {
  // Only called where it is used: every placeholder made must appear in the text.
  const own = () => (uid > 0 ? `e.reported_by = ${arg(uid)}` : 'false');
  switch (reach.kind) {
    case 'district':
      return 'true';
    case 'station':
      return `(e.station_id = ${arg(reach.stationId)} OR ${own()})`;
    case 'department': {
      const dep = arg(reach.department);
      return `((e.station_id = ${arg(reach.stationId)} AND (e.department_code = ${dep}
                 OR EXISTS (SELECT 1 FROM event_tasks t WHERE t.event_id = e.id AND t.department_code = ${dep}))) OR ${own()})`;
    }
    default:
      return `(${own()})`;
  }
}

/** The same rule for anything that belongs to a station (units, consultations, dispatches): `column` is its station id. */
export function stationScopeSql(reach: Reach, column: string, arg: Arg): string {
  if (reach.kind === 'district') return 'true';
  if (reach.kind === 'station' || reach.kind === 'department') return `${column} = ${arg(reach.stationId)}`;
  return 'false';
}

/** A fresh argument list with its placeholder maker. */
export function args(initial: unknown[] = []): { args: unknown[]; arg: Arg } {
  const list = [...initial];
  return { args: list, arg: (v) => (list.push(v), `$${list.length}`) };
}
