// The three goals, each through the app's own function: scoring a month for every station,
// team and person (server/assessment/compute.ts computePeriod), beside the same scores computed
// subject by subject with one query per figure (server/assessment/naive.ts scoreSubjectNaive),
// and the district's monthly xlsx (server/reports/xlsx.ts buildReport).
import ExcelJS from 'exceljs';
import type { Db } from '../../server/db/pool';
import { computePeriod } from '../../server/assessment/compute';
import { scoreSubjectNaive } from '../../server/assessment/naive';
import { buildReport } from '../../server/reports/xlsx';
import { instantsOfPeriod, parsePeriod } from '../../lib/assessment/periods';
import type { SubjectKind } from '../../lib/contracts/scores';

export interface ScoringRun {
  ms: number;
  subjects: number;
  frozen: boolean;
  /** What `now` the run was given. */
  at: string;
}

export interface Scoring {
  runs: ScoringRun[];
  /** Rows of the period in assessment_scores after the last run, by kind, and how many are frozen. */
  rows: Record<SubjectKind, number>;
  frozenRows: number;
  /** The scored subjects' events (their cohorts, counted once per station row). */
  stationEvents: number;
}

/**
 * `reps - 1` runs on the open month (`now` its last instant: upserts, nothing frozen), then one on
 * today's clock, which freezes it, as the job does the night after the month ends.
 */
export async function scoreMonth(db: Db, period: string, reps: number, log: (line: string) => void): Promise<Scoring> {
  const p = parsePeriod(period)!;
  const lastInstant = new Date(instantsOfPeriod(p).to.getTime() - 1000);
  const runs: ScoringRun[] = [];
  for (let i = 0; i < reps; i++) {
    const now = i < reps - 1 ? lastInstant : new Date();
    const t = performance.now();
    const r = await computePeriod(db, period, { now });
    const ms = performance.now() - t;
    runs.push({ ms, subjects: r.subjects, frozen: r.frozen, at: now.toISOString() });
    log(`computePeriod(${period}) run ${i + 1}/${reps} (now ${now.toISOString()}): ${r.subjects} subjects in ${(ms / 1000).toFixed(2)} s${r.frozen ? ', frozen' : ''} (its own ms: ${r.ms.toFixed(0)})`);
  }
  const { rows } = await db.query<{ kind: SubjectKind; n: number; frozen: number; events: number }>(
    `SELECT subject_kind AS kind, count(*)::int AS n, count(frozen_at)::int AS frozen,
            sum(cardinality(event_ids)) FILTER (WHERE subject_kind = 'station')::int AS events
       FROM assessment_scores WHERE period = $1 GROUP BY 1`,
    [period],
  );
  const by = (k: SubjectKind) => rows.find((r) => r.kind === k);
  return {
    runs,
    rows: { station: by('station')?.n ?? 0, team: by('team')?.n ?? 0, person: by('person')?.n ?? 0 },
    frozenRows: rows.reduce((a, r) => a + r.frozen, 0),
    stationEvents: by('station')?.events ?? 0,
  };
}

export interface Naive {
  /** Subjects timed, of how many, and their time. */
  measured: number;
  of: number;
  ms: number;
  /** Mean per subject of each kind, and the time for all subjects at those means (= ms when all were timed). */
  perKind: Record<SubjectKind, { timed: number; of: number; meanMs: number }>;
  estimateMs: number;
  /** Subjects whose naive total differs from the set-based one by more than 0.01 (a bench that disagrees is a broken one). */
  mismatches: string[];
}

/**
 * The baseline: the period's subjects one at a time, in a fixed order taking the kinds in turn (each
 * kind's subjects by a hash of their key), until all are done or `capMs` has passed; then the time
 * for all at each kind's mean. Each total is checked against the frozen row the set-based run wrote.
 */
export async function naiveBaseline(db: Db, period: string, now: Date, capMs: number, log: (line: string) => void): Promise<Naive> {
  const { rows } = await db.query<{ key: string; kind: SubjectKind; total: number }>(
    `SELECT subject_key AS key, subject_kind AS kind, computed_total::float8 AS total
       FROM assessment_scores WHERE period = $1 ORDER BY subject_kind, md5(subject_key)`,
    [period],
  );
  const queues: Record<SubjectKind, typeof rows> = { station: [], team: [], person: [] };
  for (const r of rows) queues[r.kind].push(r);
  const order: typeof rows = [];
  for (let i = 0; order.length < rows.length; i++) for (const k of ['station', 'team', 'person'] as const) if (queues[k][i]) order.push(queues[k][i]);
  const spent: Record<SubjectKind, { timed: number; ms: number }> = { station: { timed: 0, ms: 0 }, team: { timed: 0, ms: 0 }, person: { timed: 0, ms: 0 } };
  const mismatches: string[] = [];
  const t0 = performance.now();
  let last = t0;
  let measured = 0;
  for (const s of order) {
    if (performance.now() - t0 >= capMs) break;
    const t = performance.now();
    const r = await scoreSubjectNaive(db, period, s.key, { now });
    spent[s.kind].ms += performance.now() - t;
    spent[s.kind].timed += 1;
    measured += 1;
    if (Math.abs(r.total - s.total) > 0.01) mismatches.push(`${s.key}: naive ${r.total} / set-based ${s.total}`);
    if (performance.now() - last > 15_000) {
      last = performance.now();
      log(`  naive: ${measured} / ${order.length} subjects in ${((last - t0) / 1000).toFixed(0)} s …`);
    }
  }
  const ms = performance.now() - t0;
  const perKind = Object.fromEntries(
    (['station', 'team', 'person'] as const).map((k) => [k, { timed: spent[k].timed, of: queues[k].length, meanMs: spent[k].timed ? spent[k].ms / spent[k].timed : Number.NaN }]),
  ) as Naive['perKind'];
  const estimateMs = measured === order.length
    ? ms
    : Object.values(perKind).reduce((a, k) => a + (k.of === 0 ? 0 : k.of * k.meanMs), 0);
  return { measured, of: order.length, ms, perKind, estimateMs, mismatches };
}

export interface Xlsx {
  ms: number[];
  bytes: number;
  sheets: number;
}

/** The district's monthly xlsx, `reps` times (the first on whatever the scoring left in the cache). */
export async function monthlyXlsx(db: Db, period: string, now: Date, reps: number, log: (line: string) => void): Promise<Xlsx> {
  const ms: number[] = [];
  let bytes = 0;
  let buf: Buffer | undefined;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    buf = await buildReport(db, period, 'district', { now });
    ms.push(performance.now() - t);
    bytes = buf.length;
    log(`buildReport(${period}, district) run ${i + 1}/${reps}: ${(ms[i] / 1000).toFixed(2)} s, ${(bytes / 1024).toFixed(0)} KB`);
  }
  // Opened again with exceljs: the file is a workbook, and its sheets are counted (not timed).
  const wb = new ExcelJS.Workbook();
  if (buf) await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return { ms, bytes, sheets: wb.worksheets.length };
}
