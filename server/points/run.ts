import { inTransaction, type Db } from '../db/pool';
import { loadRules, settleEvents, settleInspections } from './settle';

/*
 * The points job's one run (issue 15 point 5, S14): settles the events whose log moved, and the
 * inspections recorded, since the last run, less an OVERLAP_MS margin (a transaction that took its
 * log row's time before the last run but committed after it is still seen; settling twice pays
 * nothing twice). One run at a time in the cluster (an advisory lock held for the transaction).
 */

const LOCK_KEY = 0x504f494e; // 'POIN'
export const OVERLAP_MS = 60 * 60_000;

export interface PointsRun {
  ran: boolean;
  events: number;
  inspections: number;
  entries: number;
  ms: number;
}

export async function runPoints(db: Db, opts: { now?: Date; full?: boolean } = {}): Promise<PointsRun> {
  const t0 = Date.now();
  return inTransaction(db, async (tx) => {
    const { rows: lock } = await tx.query<{ ok: boolean; now: Date }>('SELECT pg_try_advisory_xact_lock($1) AS ok, now()', [LOCK_KEY]);
    if (!lock[0]?.ok) return { ran: false, events: 0, inspections: 0, entries: 0, ms: Date.now() - t0 };
    // The watermark on the database's clock, which stamps the log rows (event_log.at DEFAULT now()):
    // an app host whose clock runs ahead of the database's by more than OVERLAP_MS would skip them.
    const now = opts.now ?? lock[0].now;
    const { rows: state } = await tx.query<{ lastAt: Date | null }>(`SELECT last_at AS "lastAt" FROM points_job WHERE id FOR UPDATE`);
    const since = opts.full || !state[0]?.lastAt ? null : new Date(state[0].lastAt.getTime() - OVERLAP_MS);
    const { rows: events } = await tx.query<{ id: number }>(
      `SELECT event_id::int AS id FROM event_log WHERE $1::timestamptz IS NULL OR at >= $1
       UNION SELECT event_id::int FROM event_false_reports WHERE $1::timestamptz IS NULL OR marked_at >= $1`,
      [since],
    );
    const { rows: inspections } = await tx.query<{ id: number }>(
      `SELECT id::int FROM inspections WHERE $1::timestamptz IS NULL OR created_at >= $1`,
      [since],
    );
    const rules = await loadRules(tx);
    const owed = [
      ...(await settleEvents(tx, events.map((e) => e.id), rules)),
      ...(await settleInspections(tx, inspections.map((i) => i.id), rules)),
    ];
    await tx.query(`UPDATE points_job SET last_at = $1 WHERE id`, [now]);
    return { ran: true, events: events.length, inspections: inspections.length, entries: owed.length, ms: Date.now() - t0 };
  });
}
