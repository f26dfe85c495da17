// bench:events — the printed report: every phase of every variant, ours against naive side by
// side, the zero-loss check, and the goal.
import type { EventsBenchOptions } from './events-options';
import type { PhaseSummary, VariantRun } from './events-run';
import { CORES } from './proc';

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const one = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')) : '—');
const pct = (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(1)} %` : '—');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const errorsOf = (p: PhaseSummary) => {
  const e = Object.entries(p.errors);
  return e.length ? e.map(([k, v]) => `${k}: ${v}`).join(', ') : 'none';
};

interface Row {
  label: string;
  value: (p: PhaseSummary) => string;
  /** For the naive / ours column, when a ratio means something. */
  num?: (p: PhaseSummary) => number;
}

const ROWS: Row[] = [
  { label: 'window (s)', value: (p) => (p.stoppedEarly ? `${one(p.windowS)} STOPPED EARLY` : one(p.windowS)) },
  { label: 'offered new events/s (+ retries)', value: (p) => (p.mode === 'open' ? `${int(p.offeredNewPerS)} (+${int(p.offeredReqPerS - p.offeredNewPerS)})` : `closed loop, ${p.concurrency} in flight`) },
  { label: 'acked new events/s (201 in window)', value: (p) => int(p.ackedPerS), num: (p) => p.ackedPerS },
  { label: 'acked retries/s (200, same id)', value: (p) => one(p.retriesPerS) },
  { label: 'ack latency p50 (ms)', value: (p) => ms(p.ack.p50), num: (p) => p.ack.p50 },
  { label: 'ack latency p95 (ms)', value: (p) => ms(p.ack.p95), num: (p) => p.ack.p95 },
  { label: 'ack latency p99 (ms)', value: (p) => ms(p.ack.p99), num: (p) => p.ack.p99 },
  { label: 'ack latency max (ms)', value: (p) => ms(p.ack.max), num: (p) => p.ack.max },
  { label: 'service time send→ack p50 / p99 (ms)', value: (p) => `${ms(p.service.p50)} / ${ms(p.service.p99)}` },
  { label: 'errors by status', value: errorsOf },
  { label: 'server CPU (% of one core)', value: (p) => one(p.serverCpuPct), num: (p) => p.serverCpuPct },
  { label: 'server CPU per 1,000 events/s (% core)', value: (p) => one((1000 * p.serverCpuPct) / p.ackedPerS), num: (p) => p.serverCpuPct / p.ackedPerS },
  { label: 'server RSS end / peak (MB)', value: (p) => `${int(p.serverRssEndMb)} / ${int(p.serverRssPeakMb)}` },
  { label: 'server event-loop delay p99 / max (ms)', value: (p) => `${ms(p.loopDelayP99)} / ${ms(p.loopDelayMax)}` },
  { label: 'server pool: callers queued for a connection (max)', value: (p) => int(p.poolWaitingMax) },
  { label: 'postgres connections to the db max (busy max)', value: (p) => `${int(p.pgConnMax)} (${int(p.pgBusyMax)})` },
  { label: 'postgres CPU, the db\'s backends (% of one core)', value: (p) => one(p.pgCpuPct), num: (p) => p.pgCpuPct },
  { label: 'postgres CPU per 1,000 events/s (% core)', value: (p) => one((1000 * p.pgCpuPct) / p.ackedPerS), num: (p) => p.pgCpuPct / p.ackedPerS },
  { label: 'postgres CPU, rest of the cluster (% of one core)', value: (p) => one(p.pgRestCpuPct) },
  { label: 'commits/s (pg_stat_database)', value: (p) => int(p.commitsPerS) },
  { label: 'WAL bytes per event (cluster-wide)', value: (p) => int(p.walBytesPerEvent) },
  { label: 'redis CPU (% of one core)', value: (p) => one(p.redisCpuPct) },
  { label: 'load generator CPU (% of one core)', value: (p) => one(p.loadgenCpuPct) },
  { label: 'load generator: max send delay (ms) / max waiting', value: (p) => `${ms(p.maxSendDelayMs)} / ${int(p.maxBacklog)}` },
  { label: 'load generator event-loop delay p99 (ms)', value: (p) => ms(p.loadgenLoopDelayP99) },
  { label: 'other processes on the machine (% of one core)', value: (p) => one(p.otherPct) },
  { label: `whole machine (${CORES} cores = ${CORES * 100} %)`, value: (p) => one(p.machinePct) },
  { label: 'placed in the grid sampled / elsewhere / none', value: (p) => `${int(p.placedIn)} / ${int(p.placedElsewhere)} / ${int(p.unplaced)}` },
  { label: 'flagged as likely duplicates', value: (p) => pct(p.duplicates, p.created + p.newAsReplay) },
];

function phaseTable(run: VariantRun): string {
  return table(
    ['metric', ...run.phases.map((p) => p.name)],
    ROWS.map((row) => [row.label, ...run.phases.map(row.value)]),
  );
}

function sideBySide(runs: VariantRun[], index: number): string | null {
  const phases = runs.map((r) => r.phases[index]);
  if (phases.some((p) => !p)) return null;
  const ours = runs.findIndex((r) => r.variant === 'ours');
  const naive = runs.findIndex((r) => r.variant === 'naive');
  const both = ours >= 0 && naive >= 0;
  const header = [`${phases[0].name} — metric`, ...runs.map((r) => r.variant)];
  if (both) header.push('naive / ours');
  return table(
    header,
    ROWS.map((row) => {
      const cells = [row.label, ...phases.map(row.value)];
      if (both) {
        const [a, b] = [phases[ours], phases[naive]].map((p) => row.num?.(p) ?? Number.NaN);
        cells.push(Number.isFinite(a) && Number.isFinite(b) && a !== 0 ? `${(b / a).toFixed(2)}×` : '');
      }
      return cells;
    }),
  );
}

const LABEL: Record<VariantRun['variant'], string> = {
  ours: 'ours  (group commit: one named statement per batch places, flags duplicates, inserts event + log + audit; then publish)',
  naive: 'naive (one transaction per event, one round trip per step: BEGIN, 3 lookups, duplicates, key check, 3 INSERTs, COMMIT)',
};

function lossTable(runs: VariantRun[]): string {
  const rows: [string, (r: VariantRun) => string][] = [
    ['new events acknowledged (201) / distinct ids', (r) => `${int(r.loss.acked)} / ${int(r.loss.ackedDistinctIds)}`],
    ['rows in events with the run\'s keys', (r) => int(r.loss.rows)],
    ['acknowledged but missing / under another key', (r) => `${int(r.loss.ackedMissing)} / ${int(r.loss.ackedWrongKey)}`],
    ['rows never acknowledged: unexplained', (r) => int(r.loss.extraUnexplained)],
    ['rows never acknowledged: of requests without a 2xx answer', (r) => `${int(r.loss.extraExplained)} of ${int(r.loss.unanswered)}`],
    ['event_log first steps (rows without / with several)', (r) => `${int(r.loss.logRows)} (${int(r.loss.rowsWithoutLog)} / ${int(r.loss.rowsWithManyLogs)})`],
    ['audit_log event.report (rows without / with several)', (r) => `${int(r.loss.auditRows)} (${int(r.loss.rowsWithoutAudit)} / ${int(r.loss.rowsWithManyAudits)})`],
    ['retries sent / answered 200 with the first id / wrong', (r) => `${int(r.retries.sent)} / ${int(r.retries.ok)} / ${int(r.retries.mismatch)}`],
    ['fresh keys answered as replays (must be 0)', (r) => int(r.newAsReplay)],
    ['verdict', (r) => (lossless(r) ? 'ZERO LOSS' : 'LOSS OR MISMATCH')],
  ];
  return table(['zero-loss check (all phases)', ...runs.map((r) => r.variant)], rows.map(([label, f]) => [label, ...runs.map(f)]));
}

export function lossless(r: VariantRun): boolean {
  const l = r.loss;
  return (
    l.ackedMissing === 0 && l.ackedWrongKey === 0 && l.extraUnexplained === 0 && l.ackedDistinctIds === l.acked &&
    l.rows === l.acked + l.extraExplained && l.rowsWithoutLog === 0 && l.rowsWithManyLogs === 0 &&
    l.rowsWithoutAudit === 0 && l.rowsWithManyAudits === 0 && r.retries.mismatch === 0 && r.newAsReplay === 0
  );
}

export function printEventsReport(runs: VariantRun[], opts: EventsBenchOptions): void {
  const out: string[] = [''];
  out.push(
    `══ 联动 event ingest bench — POST /api/v1/events, ${int(opts.rate)} new events/s offered for ${opts.seconds} s (+${(100 * opts.retryShare).toFixed(0)} % retries), ` +
      `≤ ${opts.concurrency} in flight, DB_POOL_MAX ${opts.pool}, ${CORES} cores ══`,
  );
  for (const r of runs) {
    out.push('');
    out.push(LABEL[r.variant]);
    for (const p of r.phases)
      if (p.stoppedEarly) out.push(`  ${p.name}: stopped early after ${one(p.windowS)} s — ${p.stoppedEarly}; ${int(p.abandoned)} never sent`);
    out.push(phaseTable(r));
  }
  for (let i = 0; i < (runs[0]?.phases.length ?? 0); i++) {
    if (runs[0].phases[i].name === 'warm-up') continue;
    const t = sideBySide(runs, i);
    if (t) out.push('', t);
  }
  out.push('', lossTable(runs));
  const busy = runs.flatMap((r) => r.phases.filter((p) => p.name !== 'warm-up').map((p) => p.otherPct));
  if (busy.length && Math.max(...busy) > 20)
    out.push(
      '',
      `NOTE: processes outside the bench used ${one(Math.min(...busy))}–${one(Math.max(...busy))} % of one core during the measured phases`,
      `(of ${CORES * 100} %): the figures above are what was left for the server, PostgreSQL and the load generator.`,
    );
  out.push('');
  out.push('Ack latency: from the SCHEDULED send time (open loop; so waiting in the client for a free connection counts)');
  out.push('or the send time (closed loop) to the full answer. Acked/s: 201 answers received inside the window. The zero-loss');
  out.push('check runs after the server has stopped, over every phase; "rows never acknowledged" are events committed');
  out.push('whose answer never arrived (timed out) — acceptable only for requests the client saw fail, and retried');
  out.push('safely with the same key. PostgreSQL CPU: the backends of the bench database; "rest of the cluster" is the WAL writer,');
  out.push('checkpointer and any other database\'s backends (other work on this PostgreSQL included).');
  const ours = runs.find((r) => r.variant === 'ours');
  const target = ours?.phases.find((p) => p.name.startsWith('target'));
  if (ours && target) {
    const errors = Object.values(target.errors).reduce((a, b) => a + b, 0);
    const check = (ok: boolean, text: string) => `  ${ok ? 'MET    ' : 'NOT MET'}  ${text}`;
    out.push('');
    out.push(`goal (${int(opts.rate)} events/s on this machine with zero loss):`);
    out.push(check(target.ackedPerS >= 0.99 * target.offeredNewPerS, `sustained: ${int(target.ackedPerS)} of ${int(target.offeredNewPerS)} offered events/s acknowledged in the window`));
    out.push(check(errors === 0, `no errors or timeouts (${errorsOf(target)})`));
    out.push(check(target.ack.p99 < 1000 && target.maxBacklog < opts.concurrency, `no queue building up: ack p99 ${ms(target.ack.p99)} ms, at most ${int(target.maxBacklog)} requests waited in the client`));
    out.push(check(lossless(ours), `zero loss: ${int(ours.loss.acked)} acknowledged = ${int(ours.loss.rows - ours.loss.extraExplained)} rows, each with its log step and audit entry`));
    const max = ours.phases.find((p) => p.mode === 'closed');
    if (max) out.push(`  ceiling (closed loop, ${max.concurrency} in flight): ${int(max.ackedPerS)} events/s at p99 ${ms(max.ack.p99)} ms`);
  }
  console.log(out.join('\n'));
}
