// What bench:assessment prints at the end: the data made, each goal with ours beside the baseline
// and MET / NOT met.
import type { Generated } from '../analytics/generate';
import { median } from '../analytics/timing';
import type { LogGenerated } from './event-log';
import type { Naive, Scoring, Xlsx } from './goals';
import type { AssessmentOptions } from './options';
import type { Meetings } from './meetings';
import type { Records } from './records';
import type { Staff } from './staff';

export const SCORING_LIMIT_MS = 30_000;
export const XLSX_LIMIT_MS = 10_000;
export const XLSX_LIMIT_BYTES = 5 * 1024 * 1024;

export interface AssessmentReport {
  opts: AssessmentOptions;
  generated: Generated;
  eventLog: LogGenerated;
  staff: Staff;
  records: Records;
  meetings: Meetings;
  monthEvents: number;
  scoring?: Scoring;
  naive?: Naive;
  xlsx?: Xlsx;
  /** A goal whose function failed: its first line. */
  failed: Record<'scoring' | 'naive' | 'xlsx', string | undefined>;
  totalMs: number;
  load: [number, number];
}

const MB = 1024 * 1024;
const s = (ms: number) => (Number.isNaN(ms) ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const met = (ok: boolean) => (ok ? 'MET' : 'NOT met');
const n = (v: number) => v.toLocaleString('en');

export function printAssessmentReport(r: AssessmentReport): void {
  const out: string[] = [];
  const g = r.generated;
  const l = r.eventLog;
  out.push('', `══ bench:assessment (${r.opts.preset}) — month ${r.opts.period} ══`);
  out.push(
    `events: ${n(g.events)} over ${r.opts.days} days (bench:analytics' generator, ${n(g.plantedEvents)} planted), ${n(r.monthEvents)} reported in ${r.opts.period}; ` +
      `loaded in ${(g.loadMs / 1000).toFixed(1)} s (${g.statements} statements, rollup triggers included), VACUUM ANALYZE ${(g.analyzeMs / 1000).toFixed(1)} s`,
    `event_log: ${n(l.rows)} steps in ${(l.ms / 1000).toFixed(1)} s (${Object.entries(l.byAction).map(([a, c]) => `${a} ${n(c)}`).join(', ')}); VACUUM ANALYZE ${(l.analyzeMs / 1000).toFixed(1)} s`,
    `people: ${n(r.staff.people)} (the demo roster + ${r.staff.added} department staff), ${n(r.staff.accounts)} accounts added, ${r.staff.handlers} handlers; ` +
      `flags: ${r.records.petitionSkip} 越级信访, ${r.records.groupIncidents} 群体性事件; ${n(r.records.accountability)} accountability records naming ${n(r.records.named)}; ${r.records.reviews} scored station reviews; ` +
      `${n(r.meetings.consultations)} routine consultations (${n(r.meetings.held)} held), ${n(r.meetings.inspections)} joint inspections`,
    `load time (events + log): ${((g.loadMs + g.analyzeMs + l.ms + l.analyzeMs) / 1000).toFixed(1)} s`,
  );
  out.push('', `${'goal'.padEnd(52)}${'ours (median / first / max)'.padEnd(34)}${'baseline'.padEnd(44)}result`);

  const sc = r.scoring;
  if (sc) {
    const ms = sc.runs.map((x) => x.ms);
    const m = median(ms);
    const nv = r.naive;
    const base = nv
      ? nv.measured === nv.of
        ? `${s(nv.ms)} all ${nv.of} (×${(nv.ms / m).toFixed(0)})`
        : `≈ ${s(nv.estimateMs)} est. (×${(nv.estimateMs / m).toFixed(0)})`
      : r.failed.naive ? `failed: ${r.failed.naive}` : '—';
    out.push(`${'monthly scoring: all stations, teams, staff'.padEnd(52)}${`${s(m)} / ${s(ms[0])} / ${s(Math.max(...ms))}`.padEnd(34)}${base.padEnd(44)}${met(m <= SCORING_LIMIT_MS && Math.max(...ms) <= SCORING_LIMIT_MS)} (≤ ${s(SCORING_LIMIT_MS)})`);
    out.push(
      `${''.padEnd(52)}rows: ${sc.rows.station} stations, ${sc.rows.team} teams, ${sc.rows.person} people (${sc.rows.station + sc.rows.team + sc.rows.person}), ` +
        `${sc.frozenRows} frozen by the last run; the stations' cohorts hold ${n(sc.stationEvents)} events`,
    );
    out.push(`${''.padEnd(52)}runs: ${sc.runs.map((x) => `${s(x.ms)}${x.frozen ? ' (freezing)' : ''}`).join(', ')}`);
    if (nv) {
      const k = nv.perKind;
      out.push(
        `${''.padEnd(52)}naive (scoreSubjectNaive, one subject at a time): ${nv.measured} of ${nv.of} subjects timed in ${s(nv.ms)}` +
          `${nv.measured === nv.of ? ' (all: measured, not extrapolated)' : `, capped at ${s(r.opts.naiveCapMs)}; the rest at each kind's mean`}; ` +
          `mean per subject: station ${s(k.station.meanMs)} (${k.station.timed}/${k.station.of}), team ${s(k.team.meanMs)} (${k.team.timed}/${k.team.of}), ` +
          `person ${s(k.person.meanMs)} (${k.person.timed}/${k.person.of})`,
      );
      out.push(
        `${''.padEnd(52)}naive totals against the set-based rows: ${nv.mismatches.length === 0 ? `all ${nv.measured} agree` : `${nv.mismatches.length} DISAGREE: ${nv.mismatches.slice(0, 3).join('; ')}`}`,
      );
    }
  } else out.push(`${'monthly scoring: all stations, teams, staff'.padEnd(52)}failed: ${r.failed.scoring}   NOT met (not measured)`);

  const x = r.xlsx;
  if (x) {
    const m = median(x.ms);
    out.push(`${'the monthly xlsx (district)'.padEnd(52)}${`${s(m)} / ${s(x.ms[0])} / ${s(Math.max(...x.ms))}`.padEnd(34)}${'—'.padEnd(44)}${met(m <= XLSX_LIMIT_MS)} (≤ ${s(XLSX_LIMIT_MS)})`);
    out.push(`${'the monthly xlsx\'s size'.padEnd(52)}${`${(x.bytes / MB).toFixed(2)} MB (${n(x.bytes)} bytes)`.padEnd(34)}${'—'.padEnd(44)}${met(x.bytes <= XLSX_LIMIT_BYTES)} (≤ 5 MB)`);
    out.push(`${''.padEnd(52)}${x.sheets} sheets (opened again with exceljs)`);
  } else out.push(`${'the monthly xlsx (district)'.padEnd(52)}failed: ${r.failed.xlsx}   NOT met (not measured)`);

  out.push('', `run time ${(r.totalMs / 60_000).toFixed(1)} min; load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end`);
  console.log(out.join('\n'));
}
