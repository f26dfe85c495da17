import { describe, expect, it } from 'vitest';
import { FAULTS, runChaos } from './chaos/run';

/*
 * The short variant of `npm run chaos` (issue 11): every fault once under a light load, on a
 * PostgreSQL and Redis of the drill's own. Figures of time are printed by the script, not
 * asserted here; what must hold whatever the machine's speed is asserted.
 */
describe('fault drill, short (npm run chaos, CHAOS_PRESET=quick)', () => {
  it('acknowledged = stored, no 500, 503 with Retry-After, no duplicates, and live again after each fault', async () => {
    const report = await runChaos({ eventsPerSecond: 8, units: 30, warmS: 2, outageS: 2, pauseS: 3, recoverS: 6, faults: FAULTS, log: () => {} });
    expect(report.results.map((r) => r.fault)).toEqual([...FAULTS]);
    for (const r of report.results) {
      const five = (r.phase.outcomes['500'] ?? 0) + (r.phase.outcomes.other5xx ?? 0);
      expect({ fault: r.fault, events: r.events.stored, fixes: r.fixes.stored, five, noRetryAfter: r.phase.noRetryAfter, duplicates: r.duplicates })
        .toEqual({ fault: r.fault, events: r.events.acked, fixes: r.fixes.acked, five: 0, noRetryAfter: 0, duplicates: { events: 0, positions: 0 } });
      // Some load got through in each phase, so the equalities above are about something.
      expect(r.events.acked).toBeGreaterThan(0);
      expect(r.fixes.acked).toBeGreaterThan(0);
      expect(r.positionsFlowS, `${r.fault}: positions never flowed again`).not.toBeNull();
      expect(r.wallLiveS, `${r.fault}: the wall never showed live data again`).not.toBeNull();
    }
    expect(report.refusedAs4xx).toEqual([]);
    expect(report.crashes).toEqual([]);
  }, 240_000);
});
