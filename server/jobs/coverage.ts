import { dayBounds, dayOf, daysBefore } from '@/lib/coverage/month';
import type { AppContext } from '../context';
import type { Db } from '../db/pool';
import { PATROL_MAX_GAP_S } from '@/lib/coverage/rules';
import { addPatrol, computePatrol } from '../coverage/patrol';
import { computeVisits } from '../coverage/visits';
import { child } from '../obs/log';
import { repeat } from './repeat';

const log = child('coverage');

/** Fixes of a day may still arrive after it ends (a phone's outbox, S3 traces sent late): the day is closed only then. */
export const GRACE_MS = 60 * 60_000;
/** An open day's visits are looked for from this long before a run: a stay longer than it is still one visit (visits.ts). */
const LOOK_BACK_MS = 3 * 3600_000;
/** Patrol is added up to this long before a run, so a segment's next fix has come when it is counted. */
const SETTLE_MS = (PATROL_MAX_GAP_S + 60) * 1000;
/** Days looked back for one never closed (the server was down): their raw fixes must be read before they are thinned. */
export const CATCH_UP_DAYS = 7;
// One process computes at a time; another skips its run.
const LOCK_KEY = 7_305_121;

export interface CoverageRun {
  ran: boolean;
  days: string[];
  closed: string[];
  visits: number;
  patrolRows: number;
}

/**
 * Computes visits and patrol of today and of every recent local day not yet closed, and closes
 * (coverage_days) each day that ended at least GRACE_MS before this run began: the retention job
 * thins only closed days, so nothing coverage needs is lost with the raw fixes.
 */
export async function runCoverage(db: Db, now = new Date()): Promise<CoverageRun> {
  const result: CoverageRun = { ran: false, days: [], closed: [], visits: 0, patrolRows: 0 };
  const c = await db.connect();
  try {
    const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_KEY]);
    if (!rows[0].ok) return result;
    result.ran = true;
    try {
      const today = dayOf(now);
      const recent = Array.from({ length: CATCH_UP_DAYS }, (_, i) => daysBefore(today, CATCH_UP_DAYS - i));
      const done = await c.query<{ day: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM coverage_days WHERE day = ANY($1::date[])`, [recent]);
      const closed = new Set(done.rows.map((r) => r.day));
      result.days = [...recent.filter((d) => !closed.has(d)), today];
      for (const day of result.days) {
        const { from, to } = dayBounds(day);
        // A day ended long enough ago is computed whole, once, and closed; an open day only from a
        // little before the last run, so a run costs what came since rather than the day so far.
        const closing = to.getTime() + GRACE_MS <= now.getTime();
        const since = closing ? from : new Date(Math.max(from.getTime(), now.getTime() - LOOK_BACK_MS));
        const v = await computeVisits(db, { from: since, to: new Date(Math.min(to.getTime(), now.getTime())) });
        const p = closing ? await computePatrol(db, { day }) : await addPatrol(db, day, new Date(now.getTime() - SETTLE_MS));
        result.visits += v.visits;
        result.patrolRows += p.rows;
        if (closing) {
          await c.query(`INSERT INTO coverage_days (day) VALUES ($1) ON CONFLICT (day) DO UPDATE SET computed_at = now()`, [day]);
          await c.query(`DELETE FROM coverage_marks WHERE day < $1::date - 40`, [day]);
          result.closed.push(day);
        }
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    c.release();
  }
  return result;
}

/** Every few minutes: visits and patrol of the open days, from the raw fixes (S3, S10). */
export function startCoverage(app: Pick<AppContext, 'db'>, everyMs = 5 * 60_000): { stop(): Promise<void> } {
  return repeat('coverage', everyMs, async () => {
    const t0 = Date.now();
    const r = await runCoverage(app.db);
    if (r.ran) log.info({ ...r, ms: Date.now() - t0 }, 'coverage computed');
  });
}
