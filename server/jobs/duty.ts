import type { AppContext } from '../context';
import { closeSilent } from '../live/duty';
import { repeat } from './repeat';

/** A tracker or a simulated phone silent this long is off duty, from its last fix (issue 12). */
export const SILENT_MS = 30 * 60_000;
const EVERY_MS = 60_000;

/**
 * Ends the 'device' and 'sim' shifts of units gone silent; the phone's own shifts end with its
 * 下岗 button. Idempotent, so any number of processes may run it.
 */
export function startDutyJob(app: Pick<AppContext, 'db'>, now: () => Date = () => new Date()): { stop(): Promise<void> } {
  return repeat('duty', EVERY_MS, () => closeSilent(app.db, now(), SILENT_MS));
}
