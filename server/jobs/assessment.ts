import { hasEnded, instantsOfPeriod, periodsOfDay, previousPeriod, type AssessmentPeriod } from '@/lib/assessment/periods';
import { shanghaiDay } from '@/lib/time/workdays';
import { computePeriod, type ComputeResult } from '../assessment/compute';
import { seedAssessmentRules } from '../assessment/seed';
import type { AppContext } from '../context';
import type { Db } from '../db/pool';
import { child } from '../obs/log';
import { repeat } from './repeat';

const log = child('assessment');

/** Every 30 minutes (issue 15 point 2): the open month, quarter and year scored again; ended ones frozen. */
export const ASSESSMENT_EVERY_MS = 30 * 60_000;
/** How far back an unfrozen period is still frozen (a server down over a month's end loses nothing). */
const LOOKBACK_MONTHS = 13;
/** pg_try_advisory_lock(JOB_LOCK), held for a whole run: two server processes never run it at once. */
export const JOB_LOCK = 0x41535345; // 'ASSE'

/**
 * Why an ended period was not scored: its year has no active rules; it ended before the year's rules
 * were created, or before the first station existed (a fresh install must not freeze a past it never
 * saw, with nothing in it, for good). A period left out stays open: the district may still score it
 * now (POST /api/v1/assessment/compute), which freezes it.
 */
export type SkipReason = 'no_rules' | 'before_rules' | 'before_stations';

export interface AssessmentRun {
  /** false: another process held the job's lock; this run did nothing. */
  ran: boolean;
  computed: ({ period: string } & ComputeResult)[];
  skipped: { period: string; why: SkipReason }[];
  /** Periods whose scoring failed (logged); the others were still scored. */
  failed: { period: string; error: string }[];
}

/** The ended periods of the last 13 months (and their quarters and years), oldest first, then the open month, quarter and year. */
function periodsToScore(now: Date): { ended: AssessmentPeriod[]; open: AssessmentPeriod[] } {
  const open = periodsOfDay(shanghaiDay(now));
  const ended = new Map<string, AssessmentPeriod>();
  let month = open[0];
  for (let i = 0; i < LOOKBACK_MONTHS; i++) {
    month = previousPeriod(month);
    for (const p of periodsOfDay(month.range.from)) if (hasEnded(p, now)) ended.set(p.key, p);
  }
  const order = (a: AssessmentPeriod, b: AssessmentPeriod) => a.range.to.localeCompare(b.range.to) || a.range.from.localeCompare(b.range.from);
  return { ended: [...ended.values()].sort(order), open };
}

async function runLocked(db: Db, now: Date): Promise<AssessmentRun> {
  // A new year gets its rules here, not only at the next restart (seed.ts carries the last year's over).
  await seedAssessmentRules(db, now);
  const { ended, open } = periodsToScore(now);
  const [{ rows: done }, { rows: years }, { rows: stations }] = await Promise.all([
    db.query<{ period: string }>(`SELECT period FROM assessment_periods WHERE period = ANY($1::text[])`, [ended.map((p) => p.key)]),
    db.query<{ year: number; active: boolean; since: Date }>(
      `SELECT year, bool_or(state = 'active') AS active, min(created_at) AS since FROM assessment_rule_sets
        WHERE state IN ('active', 'retired') GROUP BY year`,
    ),
    db.query<{ first: Date | null }>(`SELECT min(created_at) AS first FROM stations`),
  ]);
  const frozen = new Set(done.map((r) => r.period));
  const rules = new Map(years.filter((y) => y.active).map((y) => [y.year, y.since]));
  const firstStation = stations[0]?.first ?? null;
  const run: AssessmentRun = { ran: true, computed: [], skipped: [], failed: [] };
  const why = (p: AssessmentPeriod, isOpen: boolean): SkipReason | null => {
    const since = rules.get(p.year);
    if (since === undefined) return 'no_rules';
    if (isOpen) return null;
    const end = instantsOfPeriod(p).to;
    if (end <= since) return 'before_rules';
    if (firstStation === null || end <= firstStation) return 'before_stations';
    return null;
  };
  for (const [p, isOpen] of [...ended.filter((e) => !frozen.has(e.key)).map((e) => [e, false] as const), ...open.map((o) => [o, true] as const)]) {
    const skip = why(p, isOpen);
    if (skip) {
      run.skipped.push({ period: p.key, why: skip });
      continue;
    }
    try {
      run.computed.push({ period: p.key, ...(await computePeriod(db, p.key, { now })) });
    } catch (err) {
      // One bad period (a stored rule set the contract no longer takes, say) must not stop the others.
      log.error({ err, period: p.key }, 'assessment period failed');
      run.failed.push({ period: p.key, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return run;
}

/**
 * One run at `now`, under the job's cluster-wide lock (another process running it: nothing done,
 * ran false): the year's rules seeded if missing; the ended periods of the last 13 months not yet
 * frozen are scored and frozen, oldest first, unless skipped (SkipReason); then the open month,
 * quarter and year are scored.
 */
export async function runAssessmentJob(app: Pick<AppContext, 'db'>, now: Date): Promise<AssessmentRun> {
  const client = await app.db.connect();
  let broken = false;
  try {
    const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1) AS ok`, [JOB_LOCK]);
    if (!rows[0]?.ok) return { ran: false, computed: [], skipped: [], failed: [] };
    try {
      return await runLocked(app.db, now);
    } finally {
      // A session lock outlives the run on a pooled connection: unlock, or drop the connection.
      await client.query(`SELECT pg_advisory_unlock($1)`, [JOB_LOCK]).catch(() => (broken = true));
    }
  } finally {
    client.release(broken);
  }
}

export function startAssessment(app: Pick<AppContext, 'db'>, everyMs = ASSESSMENT_EVERY_MS): { stop(): Promise<void> } {
  return repeat('assessment', everyMs, async () => {
    const r = await runAssessmentJob(app, new Date());
    if (!r.ran) return log.info('assessment: another process is scoring');
    const frozen = r.computed.filter((c) => c.frozen).map((c) => c.period);
    log.info({ periods: r.computed.map((c) => `${c.period}:${c.subjects}:${c.ms}ms`), frozen, skipped: r.skipped.length, failed: r.failed.length }, 'assessment scored');
  });
}
