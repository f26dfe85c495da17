// What bench:analytics prints at the end: the data made, each goal with ours beside the baseline
// and MET / NOT met, and what the detectors found of what was planted.
import type { Generated } from './generate';
import type { AnalyticsOptions } from './options';
import { max, median, type Goal } from './timing';

export interface Detection {
  what: string;
  planted: number;
  found: number;
  /** One line per planted effect: found with which class / level, or missed. */
  lines: string[];
  /** Detections at places nothing was planted. */
  others: number;
  /** The same count found by the baseline computation (it must agree). */
  baselineFound?: number;
}

export interface AnalyticsReport {
  opts: AnalyticsOptions;
  generated: Generated;
  goals: Goal[];
  detections: Detection[];
  totalMs: number;
  /** 1-minute load average at the start and the end: other work sharing the cores shows here. */
  load: [number, number];
}

const MB = 1024 * 1024;
const ms = (v: number) => (Number.isNaN(v) ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const met = (ok: boolean) => (ok ? 'MET' : 'NOT met');

export function printAnalyticsReport(r: AnalyticsReport): void {
  const out: string[] = [];
  const g = r.generated;
  out.push('', `══ bench:analytics (${r.opts.preset}) ══`);
  out.push(
    `data: ${g.events.toLocaleString('en')} events over ${r.opts.days} days on ${g.grids} grids (${g.plantedEvents.toLocaleString('en')} of them planted), ` +
      `${(g.bytes / MB).toFixed(0)} MB with indexes; bulk load ${(g.loadMs / 1000).toFixed(1)} s in ${g.statements} statements ` +
      `(${Math.round(g.events / (g.loadMs / 1000)).toLocaleString('en')} events/s, rollup triggers included); repeats flagged by one UPDATE in ${(g.repeatMs / 1000).toFixed(1)} s; VACUUM ANALYZE ${(g.analyzeMs / 1000).toFixed(1)} s`,
  );
  out.push('', 'goal                                                    ours (median / first / max)          baseline                               result');
  for (const goal of r.goals) {
    if (goal.skipped) {
      out.push(`${goal.name.padEnd(56)}skipped: ${goal.skipped}   NOT met (not measured)`);
      continue;
    }
    const m = median(goal.ours.ms);
    const ours = `${ms(m)} / ${ms(goal.ours.ms[0])} / ${ms(max(goal.ours.ms))}`;
    const b = goal.baseline;
    const base = b ? (b.capped ? `> ${ms(b.ms[0])} (cancelled)` : `${ms(b.ms[0])} (×${(b.ms[0] / m).toFixed(0)})`) : '—';
    out.push(`${goal.name.padEnd(56)}${ours.padEnd(37)}${base.padEnd(39)}${Number.isFinite(goal.limitMs) ? `${met(m <= goal.limitMs)} (≤ ${ms(goal.limitMs)})` : '(no goal)'}`);
    out.push(`${''.padEnd(56)}answer: ${goal.ours.answer}${b ? `; baseline: ${b.answer}` : ''}`);
    if (goal.note) out.push(`${''.padEnd(56)}${goal.note}`);
  }
  if (r.detections.length) out.push('', 'planted effects (a bench that finds nothing is a broken bench):');
  for (const d of r.detections) {
    out.push(
      `  ${d.what}: found ${d.found} / ${d.planted} planted${d.baselineFound !== undefined ? ` (baseline computation: ${d.baselineFound} / ${d.planted})` : ''}; ` +
        `${d.others} other detection(s) where nothing was planted — ${d.found === d.planted ? 'all found' : 'NOT all found'}`,
    );
    for (const line of d.lines) out.push(`    ${line}`);
  }
  out.push('', `run time ${(r.totalMs / 60_000).toFixed(1)} min; load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end`);
  console.log(out.join('\n'));
}
