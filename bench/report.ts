import { TICK_MS } from '../server/live/fanout';
import type { BenchOptions } from './options';
import { CORES } from './proc';
import type { VariantResult } from './results';
import { describeScreens } from './screens';

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const one = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const kb = (n: number) => (Number.isFinite(n) ? `${(n / 1024).toFixed(1)} KB` : '—');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && a !== 0 ? `${(b / a).toFixed(b / a < 10 ? 2 : 0)}×` : '—');

interface Row {
  label: string;
  value: (r: VariantResult) => string;
  /** The number the ratio column divides, when a ratio means something. */
  num?: (r: VariantResult) => number;
}

const ROWS: Row[] = [
  { label: 'positions/s published', value: (r) => int(r.publishedPerS), num: (r) => r.publishedPerS },
  { label: 'positions/s in (accepted by server)', value: (r) => int(r.acceptedPerS), num: (r) => r.acceptedPerS },
  { label: 'unit updates/s emitted by server per district socket', value: (r) => int(r.emittedPerS), num: (r) => r.emittedPerS },
  { label: 'ticks/s', value: (r) => (r.variant === 'ours' ? one(r.ticksPerS) : 'n/a') },
  { label: 'unit updates/s out per district wall (mean)', value: (r) => int(r.outPerDistrictWall.mean), num: (r) => r.outPerDistrictWall.mean },
  { label: 'unit updates/s out per station screen (mean / min)', value: (r) => `${int(r.outPerStationScreen.mean)} / ${int(r.outPerStationScreen.min)}`, num: (r) => r.outPerStationScreen.mean },
  { label: '  … slowest client: updates ÷ fixes it expects', value: (r) => `${one(100 * r.slowestShare)} %`, num: (r) => r.slowestShare },
  { label: 'latency publish→client p50 (ms)', value: (r) => int(r.latency.p50), num: (r) => r.latency.p50 },
  { label: 'latency p95 (ms)', value: (r) => int(r.latency.p95), num: (r) => r.latency.p95 },
  { label: 'latency p99 (ms)', value: (r) => int(r.latency.p99), num: (r) => r.latency.p99 },
  { label: 'latency max (ms)', value: (r) => int(r.latency.max), num: (r) => r.latency.max },
  { label: 'worst single client p99 (ms)', value: (r) => int(r.worstClientP99), num: (r) => r.worstClientP99 },
  { label: 'server CPU (% of one core)', value: (r) => one(r.serverCpuPct), num: (r) => r.serverCpuPct },
  { label: 'server RSS end / peak (MB)', value: (r) => `${int(r.serverRssEndMb)} / ${int(r.serverRssPeakMb)}`, num: (r) => r.serverRssPeakMb },
  { label: 'server event-loop delay p99 / max (ms)', value: (r) => `${int(r.loopDelay.p99)} / ${int(r.loopDelay.max)}`, num: (r) => r.loopDelay.p99 },
  { label: 'bytes/s per district wall (mean)', value: (r) => kb(r.bytesPerDistrictWall.mean), num: (r) => r.bytesPerDistrictWall.mean },
  { label: 'bytes/s per station screen (mean)', value: (r) => kb(r.bytesPerStationScreen.mean), num: (r) => r.bytesPerStationScreen.mean },
  { label: 'bytes per unit update of the screen\'s own scope', value: (r) => one(r.bytesPerUpdate), num: (r) => r.bytesPerUpdate },
  { label: 'fixes published in window', value: (r) => int(r.publishedInWindow) },
  { label: '  … expected per station screen (mean)', value: (r) => int(r.expectedPerStationScreen.mean) },
  { label: 'dropped per client (mean / max)', value: (r) => `${int(r.dropped.mean)} / ${int(r.dropped.max)}`, num: (r) => r.dropped.mean },
  { label: '  … as % of expected', value: (r) => `${(100 * r.droppedShare).toFixed(3)} %` },
  { label: 'superseded per client (mean)', value: (r) => int(r.superseded.mean) },
  { label: 'foreign units delivered to station screens', value: (r) => (r.variant === 'ours' ? int(r.foreign) : `${int(r.foreign)} (broadcast)`) },
  { label: 'tick seq jumps / ticks missed (all clients)', value: (r) => (r.variant === 'ours' ? `${int(r.seqJumps)} / ${int(r.missedTicks)}` : 'n/a (no seq)') },
  { label: 'unit t backwards / duplicates (all clients)', value: (r) => `${int(r.backwards)} / ${int(r.duplicates)}` },
  { label: 'socket disconnects', value: (r) => int(r.disconnects) },
  { label: 'input stream lag at window end (entries)', value: (r) => int(r.streamLagEnd) },
  { label: 'publisher max lateness vs schedule (ms)', value: (r) => int(r.publisherMaxLateMs) },
];

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function loads(r: VariantResult): string {
  return table(
    ['process', 'CPU % of one core', 'waited for a core ms/s', 'RSS MB'],
    r.loads.map((l) => [l.name, one(l.cpuPct), l.waitMsPerS === undefined ? '' : int(l.waitMsPerS), l.rssMb === undefined ? '' : int(l.rssMb)]),
  );
}

function goal(r: VariantResult, opts: BenchOptions): string {
  const limit = TICK_MS + 100;
  const check = (ok: boolean, text: string) => `  ${ok ? 'MET    ' : 'NOT MET'}  ${text}`;
  return [
    `goal (${opts.units.toLocaleString('en-US')} units, ${opts.clients} clients: ${describeScreens(r.districtWalls, r.stationScreens)}):`,
    check(r.latency.p99 <= limit, `p99 ${int(r.latency.p99)} ms ≤ tick + 100 ms = ${limit} ms`),
    check(r.serverCpuPct <= 100, `server ${one(r.serverCpuPct)} % ≤ one core`),
    check(r.dropped.max === 0, `nothing dropped (worst client: ${int(r.dropped.max)})`),
    check(r.acceptedPerS >= 0.99 * r.publishedPerS, `server keeps up with input (${int(r.acceptedPerS)} of ${int(r.publishedPerS)} /s)`),
    check(r.foreign === 0, `scope: ${int(r.foreign)} foreign units delivered to station screens`),
  ].join('\n');
}

export function printReport(results: VariantResult[], opts: BenchOptions): void {
  const out: string[] = [];
  out.push('');
  out.push(
    `══ 联动 live backbone bench — ${opts.units.toLocaleString('en-US')} units at 1 Hz, ${opts.clients} clients ` +
      `(${describeScreens(opts.districtWalls, opts.clients - opts.districtWalls)}) in ${opts.clientProcs} processes, ${CORES} cores ══`,
  );
  for (const r of results) {
    out.push('');
    out.push(
      `${r.variant === 'ours' ? 'ours  (TickFanout: coalesced binary ticks every ' + TICK_MS + ' ms, one feed per station and one for the district)' : 'naive (one JSON event per position to every socket)'} — window ${r.windowS.toFixed(1)} s`,
    );
    if (r.aborted) {
      out.push(`  STOPPED EARLY: ${r.aborted}`);
      const queued = r.streamLagEnd * r.batch;
      out.push(`  At the stop ${int(queued)} positions (${one(queued / r.publishedPerS)} s of input) were still queued in the input stream:`);
      out.push('  "dropped" below means not delivered by the end of the drain, most of it still waiting in that backlog.');
    }
    if (Object.keys(r.rejected).length) out.push(`  server rejected: ${JSON.stringify(r.rejected)}`);
    out.push(loads(r));
  }
  out.push('');
  const header = ['metric', ...results.map((r) => r.variant)];
  const both = results.length === 2;
  if (both) header.push('naive / ours');
  out.push(
    table(
      header,
      ROWS.map((row) => {
        const cells = [row.label, ...results.map(row.value)];
        if (both) cells.push(row.num ? ratio(row.num(results[0]), row.num(results[1])) : '');
        return cells;
      }),
    ),
  );
  out.push('');
  out.push('Latency is now − t for every unit update a client received during the window, t being the');
  out.push('publisher\'s wall clock at XADD (one machine clock for all processes). "Waited for a core": the main');
  out.push('thread was runnable but every core was busy (/proc/<pid>/schedstat) — load from outside the process.');
  out.push('Dropped: fixes published in the window that never reached a client before the drain ended. A fix');
  out.push('counts as delivered when it or a LATER fix of the same unit arrived (a tick carries only a unit\'s');
  out.push('newest fix, so coalescing legitimately merges two fixes of one unit); "superseded" counts those.');
  out.push('Bytes are engine.io payload bytes (WebSocket frame headers not included).');
  out.push('Scope (issue 10): a station screen expects, and is measured on, its own station\'s units only; a');
  out.push('district wall all units. A fix of any other unit on a station screen is "foreign": an error for ours.');
  out.push('The naive relay broadcasts every unit to every socket (no scope); its clients count the foreign');
  out.push('fixes apart and measure only their own, so both columns hold each screen to the same expectations');
  out.push('while the naive bytes, CPU and latency still carry the cost of the foreign traffic.');
  const ours = results.find((r) => r.variant === 'ours');
  if (ours) {
    out.push('');
    out.push(goal(ours, opts));
  }
  console.log(out.join('\n'));
}
