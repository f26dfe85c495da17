import type { AppContext } from '../context';
import type { Db } from '../db/pool';
import { child } from '../obs/log';
import { ensureReport } from '../reports/store';
import { repeat } from './repeat';

const log = child('reports');

/** Every 10 minutes (issue 15 point 6): a period frozen by the scoring job gets its district report soon after. */
export const REPORTS_EVERY_MS = 10 * 60_000;
/** Periods made per run: a first run on a long history catches up over a few runs instead of one long one. */
const PER_RUN = 3;

/**
 * The district report of each frozen period that has none yet (or only one made while it was
 * open). Several processes may run it: at worst both make the same period once, and one file stays.
 */
export async function runReports(db: Db, dataDir: string, now = new Date()): Promise<string[]> {
  const { rows } = await db.query<{ period: string }>(
    `SELECT p.period FROM assessment_periods p
      WHERE NOT EXISTS (SELECT 1 FROM assessment_reports r WHERE r.period = p.period AND r.scope = 'district' AND r.frozen)
      ORDER BY p.frozen_at, p.period LIMIT ${PER_RUN}`,
  );
  const made: string[] = [];
  for (const { period } of rows) {
    const r = await ensureReport(db, dataDir, period, 'district', null, { now });
    made.push(period);
    log.info({ period, bytes: r.record.bytes, sha256: r.record.sha256 }, 'district report made');
  }
  return made;
}

export function startReports(app: Pick<AppContext, 'db' | 'config'>, everyMs = REPORTS_EVERY_MS): { stop(): Promise<void> } {
  return repeat('reports', everyMs, () => runReports(app.db, app.config.dataDir));
}
