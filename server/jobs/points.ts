import type { AppContext } from '../context';
import { child } from '../obs/log';
import { runPoints } from '../points/run';
import { repeat } from './repeat';

const log = child('points');

/** Every 10 minutes (issue 15 point 5): points for what was verified and closed, inspections held, and clawbacks. */
export const POINTS_EVERY_MS = 10 * 60_000;

export function startPoints(app: Pick<AppContext, 'db'>, everyMs = POINTS_EVERY_MS): { stop(): Promise<void> } {
  return repeat('points', everyMs, async () => {
    const r = await runPoints(app.db);
    if (r.ran && r.entries) log.info({ events: r.events, inspections: r.inspections, entries: r.entries, ms: r.ms }, 'points run');
  });
}
