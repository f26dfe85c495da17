// What bench:history prints at the end: the goals with MET / NOT met, disk per day, the thinning
// job's time, and ingest quiet against ingest while history is read and thinned.
import type { RetentionResult } from '../../server/jobs/retention';
import type { Generated } from './generate';
import { median, type Goal } from './goals';
import type { IngestRun, Load } from './ingest';
import type { HistoryOptions } from './options';

export interface HistoryReport {
  opts: HistoryOptions;
  generated: Generated;
  copy: { rows: number; ms: number };
  /** One unit's day replay on the raw day as written, before the job compacted it. */
  asWritten: number[];
  compaction: RetentionResult;
  disk: { rawBytes: number; compactedBytes: number; thinnedBytes: number; thinnedByJobBytes?: number; baselineBytes: number; units: number };
  goals: Goal[];
  ingest?: { runs: IngestRun[]; load: Load };
}

const MB = 1024 * 1024;
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const size = (bytes: number) => (bytes >= 1024 * MB ? `${(bytes / 1024 / MB).toFixed(2)} GB` : `${(bytes / MB).toFixed(0)} MB`);
const met = (ok: boolean) => (ok ? 'MET' : 'NOT met');

export function printHistoryReport(r: HistoryReport): void {
  const out: string[] = [];
  const { opts, disk } = r;
  out.push('', `══ bench:history (${opts.preset}) ══`);
  out.push(
    `data: ${r.generated.rawRows.toLocaleString('en')} raw rows (one day) + ${r.generated.thinnedRows.toLocaleString('en')} thinned rows (${opts.thinDays} days), ` +
      `generated in ${(r.generated.ms / 1000).toFixed(1)} s; baseline copy ${r.copy.rows.toLocaleString('en')} rows in ${(r.copy.ms / 1000).toFixed(1)} s`,
  );
  out.push('', 'goal                                                        partitioned (median / first / max)      baseline (no partition, no index)   result');
  for (const g of r.goals) {
    if (g.skipped) {
      out.push(`${g.name.padEnd(60)}skipped: ${g.skipped}   NOT met (not measured)`);
      continue;
    }
    const m = median(g.ours.ms);
    const ours = `${ms(m)} / ${ms(g.ours.ms[0])} / ${ms(Math.max(...g.ours.ms))}`;
    const base = g.baseline ? (g.baseline.capped ? `> ${ms(g.baseline.ms[0])} (cancelled)` : `${ms(g.baseline.ms[0])} (×${(g.baseline.ms[0] / m).toFixed(0)})`) : '—';
    out.push(`${g.name.padEnd(60)}${ours.padEnd(40)}${base.padEnd(36)}${Number.isFinite(g.limitMs) ? `${met(m <= g.limitMs)} (≤ ${ms(g.limitMs)})` : '(no goal: background)'}`);
    out.push(`${''.padEnd(60)}last answer: ${g.ours.answer}; baseline: ${g.baseline?.answer ?? '—'}`);
  }
  out.push(
    `(one unit's day replay on the raw day as written, before the retention job compacted it: median ${ms(median(r.asWritten))}, max ${ms(Math.max(...r.asWritten))}; ` +
      `the compaction took ${ms(r.compaction.ms)} for ${r.compaction.compacted.join(', ')})`,
  );
  const perK = (bytes: number) => size((bytes * 1000) / disk.units);
  out.push('', `disk per day (pg_total_relation_size, indexes included), ${disk.units} units:`);
  out.push(`  raw, one fix per ${opts.fixEveryS} s, as written: ${size(disk.rawBytes)} = ${perK(disk.rawBytes)} per 1,000 units`);
  out.push(`  raw, compacted by the retention job: ${size(disk.compactedBytes)} = ${perK(disk.compactedBytes)} per 1,000 units`);
  out.push(`  thinned, one fix a minute (generated days, mean): ${size(disk.thinnedBytes)} = ${perK(disk.thinnedBytes)} per 1,000 units`);
  if (disk.thinnedByJobBytes !== undefined) out.push(`  thinned by the retention job from the raw day: ${size(disk.thinnedByJobBytes)} = ${perK(disk.thinnedByJobBytes)} per 1,000 units`);
  out.push(`  baseline copy of everything (no index): ${size(disk.baselineBytes)}`);

  if (r.ingest) {
    const { runs, load } = r.ingest;
    out.push('', 'ingest (bench:live pieces, 1 Hz per unit) while history is written:');
    out.push('  run                                   published/s accepted/s history rows/s  latency p50 / p99 / max     dropped  server CPU  loop p99');
    for (const run of runs) {
      const v = run.result;
      out.push(
        `  ${run.label.padEnd(38)}${v.publishedPerS.toFixed(0).padStart(11)}${v.acceptedPerS.toFixed(0).padStart(11)}${run.historyRowsPerS.toFixed(0).padStart(15)}  ` +
          `${`${v.latency.p50.toFixed(0)} / ${v.latency.p99.toFixed(0)} / ${v.latency.max.toFixed(0)} ms`.padEnd(26)}${(v.droppedShare * 100).toFixed(2).padStart(6)} %${v.serverCpuPct.toFixed(0).padStart(9)} %${v.loopDelay.p99.toFixed(0).padStart(7)} ms`,
      );
    }
    out.push(`  history queries during the loaded run: ${load.queries}, median ${ms(load.queryMedianMs)}, max ${ms(load.queryMaxMs)}`);
    if (load.thinning) {
      const t = load.thinning;
      out.push(
        `  thinning job: ${ms(t.result.ms)} for ${t.result.thinned.join(', ') || 'nothing'} (waiting: ${t.result.waiting.length}); ` +
          `started ${t.startedAfterS.toFixed(0)} s into the run, whose measured window was ${t.windowS.toFixed(0)} s`,
      );
    } else out.push(`  thinning job: failed: ${load.thinningError ?? 'did not run'}`);
    const [quiet, loaded] = runs;
    const kept = loaded.result.acceptedPerS >= 0.98 * quiet.result.acceptedPerS && loaded.result.droppedShare <= Math.max(0.001, 2 * quiet.result.droppedShare);
    out.push(`  ingest keeps its figures (accepted/s within 2 %, no more than twice the drops): ${met(kept)}`);
  }
  console.log(out.join('\n'));
}
