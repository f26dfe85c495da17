import type { AppContext } from '../context';
import { child } from '../obs/log';
import { runWarnings } from '../warnings/run';
import { readWarningSettings } from '../warnings/settings';
import { repeat } from './repeat';

const log = child('warnings');

/** How often the job looks whether a run is due (the interval itself is settings.everyMinutes, read each time). */
const TICK_MS = 15_000;
/** A run asked for by an import waits this long for more of it (one run after a burst of uploads, not one each). */
export const DEBOUNCE_MS = 10_000;
/** New events since the last run that make an import "large" (issue 13: ≥ 100 rows). */
export const LARGE_IMPORT = 100;

let requestedAt: number | null = null;
let newEvents = 0;

/** Asks for a run soon (after a statistics upload or a large event import); several asks in a row make one run. */
export function requestWarningRun(): void {
  requestedAt = Date.now();
}

/** Counts events reported through the intake; once LARGE_IMPORT arrived since the last run, a run is asked for. */
export function noteNewEvents(n: number): void {
  newEvents += n;
  if (newEvents >= LARGE_IMPORT) requestWarningRun();
}

/**
 * Early warnings on a schedule (S9): a run every settings.everyMinutes (an admin setting, so read
 * at every tick), and DEBOUNCE_MS after an import asked for one. One run at a time in this
 * process (repeat.ts), one in the cluster (the run's advisory lock).
 */
export function startWarnings(app: Pick<AppContext, 'db'>): { stop(): Promise<void> } {
  let lastRun = 0;
  return repeat('warnings', TICK_MS, async () => {
    const now = Date.now();
    const s = await readWarningSettings(app.db);
    const due = now - lastRun >= s.everyMinutes * 60_000;
    const asked = requestedAt !== null && now - requestedAt >= DEBOUNCE_MS;
    if (!due && !asked) return;
    requestedAt = null;
    newEvents = 0;
    lastRun = now;
    const r = await runWarnings(app, new Date(now), s);
    if (r.ran) log.info({ found: r.found, raised: r.raised, updated: r.updated, cleared: r.cleared, ms: r.ms, asked }, 'warnings run');
  });
}
