import type { Tally } from './load';
import { FAULT_LABEL, type ChaosReport } from './run';

const answers = (t: Tally) =>
  Object.entries(t.outcomes)
    .sort()
    .map(([k, v]) => `${k}×${v}`)
    .join(' ') || '—';

/** One line per fault, then the verdict per goal. */
export function printChaos(r: ChaosReport, log: (line: string) => void = console.log): boolean {
  log('');
  log(`chaos: ${r.options.eventsPerSecond} events/s and ${r.options.units} units at 1 Hz; each fault after ${r.options.warmS} s of load, down ${r.options.outageS} s (pause ${r.options.pauseS} s), ${r.options.recoverS} s to recover`);
  log('fault                         events acked=stored   fixes acked=stored   positions again  wall live again  duplicates  answers during the fault');
  let ok = true;
  for (const x of r.results) {
    const e = `${x.events.acked}=${x.events.stored}`;
    const f = `${x.fixes.acked}=${x.fixes.stored}`;
    const s = (v: number | null) => (v === null ? 'never' : `${v.toFixed(1)} s`);
    log(`${FAULT_LABEL[x.fault].padEnd(30)}${e.padStart(20)}${f.padStart(21)}${s(x.positionsFlowS).padStart(17)}${s(x.wallLiveS).padStart(17)}${`${x.duplicates.events + x.duplicates.positions}`.padStart(12)}  ${answers(x.outage)}`);
    const five = (x.phase.outcomes['500'] ?? 0) + (x.phase.outcomes.other5xx ?? 0);
    const good = x.events.acked === x.events.stored && x.fixes.acked === x.fixes.stored && five === 0 && x.phase.noRetryAfter === 0
      && x.duplicates.events + x.duplicates.positions === 0 && x.positionsFlowS !== null && x.wallLiveS !== null;
    if (!good) ok = false;
    log(`  ${good ? 'MET' : 'NOT met'}: acknowledged = stored, 0 answers 500 (${five}), 503 always with Retry-After (${x.phase.noRetryAfter} without), 0 duplicates, positions and the wall live again`);
  }
  if (r.crashes.length) {
    ok = false;
    log(`NOT met: the server exited on its own ${r.crashes.length}×: ${r.crashes.join('\n')}`);
  }
  if (r.refusedAs4xx.length) log(`refused as 4xx (should be none): ${r.refusedAs4xx.join(' | ')}`);
  log(`wall: ${r.wall.reconnects} reconnects, ${r.wall.resyncs} resyncs; given up unacknowledged (not counted as stored): ${r.unacked.events} events, ${r.unacked.fixes} fixes; ${r.durationS.toFixed(0)} s in all`);
  log(ok ? 'chaos: ALL MET' : 'chaos: NOT all met');
  return ok;
}
