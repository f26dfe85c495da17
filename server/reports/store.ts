import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ReportRecordV1, ReportV1 } from '@/lib/contracts/reports';
import { stationOfScope } from '@/lib/contracts/reports';
import { inTransaction, type Db } from '../db/pool';
import { isoSql } from '../db/sql';
import { gatherReport } from './data';
import { renderXlsx } from './xlsx';

/*
 * Stored reports (migration 025): the workbook under DATA_DIR/reports/<period>/, its SHA-256, and
 * the gathered document beside it in the row, so the printable page shows the very figures of the
 * file. A frozen period's report is kept and served again (its scores cannot change) until the
 * district adjusts the period after it was made; an open period's is remade when it is older than
 * REUSE_OPEN_MS (a burst of downloads makes it once). Whoever makes one serves the bytes it made,
 * never the file by name: a concurrent maker may replace it. A replaced file is deleted once it is
 * neither the current one nor younger than KEEP_REPLACED_MS, so a download still reading it (or a
 * maker about to commit it) is not cut off; each make sweeps its period's and scope's old files.
 */

/** An open period's report younger than this is served again rather than remade. */
export const REUSE_OPEN_MS = 60_000;
/** A replaced file is kept this long after it was written. */
export const KEEP_REPLACED_MS = 60_000;

export interface StoredReport {
  record: ReportRecordV1;
  document: ReportV1;
  file: string;
  /** The workbook itself: what the caller serves (the file may be replaced by a concurrent maker). */
  bytes: Buffer;
  /** Whether this call made it (false: the stored one was still current). */
  made: boolean;
}

const ROW = `r.id::int, r.period, r.scope, r.frozen, r.bytes, r.sha256, ${isoSql('r.generated_at')} AS "generatedAt",
  r.generated_name AS "generatedBy", coalesce(s.name, '全区') AS "scopeName"`;
const FROM = `FROM assessment_reports r LEFT JOIN stations s ON s.id = r.station_id`;

const scopeSlug = (scope: string) => scope.replace(':', '-');
const fileName = (period: string, scope: string, sha: string) => path.join('reports', period, `${scopeSlug(scope)}-${sha.slice(0, 16)}.xlsx`);

/**
 * Deletes the period's and scope's workbooks that are neither the current one (read again now: a
 * later maker may have committed since) nor ours, and older than KEEP_REPLACED_MS. Best effort: a
 * file left now goes with a later make's sweep.
 */
async function sweepReplaced(db: Db, dataDir: string, period: string, scope: string, ours: string): Promise<void> {
  const { rows } = await db.query<{ path: string }>(`SELECT path FROM assessment_reports WHERE period = $1 AND scope = $2`, [period, scope]);
  const keep = new Set([ours, rows[0]?.path].filter((p): p is string => !!p).map((p) => path.basename(p)));
  const dir = path.join(dataDir, 'reports', period);
  const prefix = `${scopeSlug(scope)}-`;
  const names = await readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - KEEP_REPLACED_MS;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.xlsx') || keep.has(name)) continue;
    const file = path.join(dir, name);
    const st = await stat(file).catch(() => null);
    if (st && st.mtimeMs < cutoff) await unlink(file).catch(() => undefined);
  }
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o640);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file).catch(async (err) => {
    await unlink(tmp).catch(() => undefined);
    throw err;
  });
}

/**
 * The current report of a period and scope (already allowed: server/reports/access.ts), made and
 * stored when there is none, it is of an open period and older than REUSE_OPEN_MS, the period was
 * frozen since, or an adjustment came after it. `who`: the account asking, or null for the job.
 * Made outside any transaction: gathering runs its queries in parallel on the pool, which a held
 * connection could starve (the embedded database has one). Two makers at once both make it, each
 * serves its own bytes, and the later commit is the current row.
 */
export async function ensureReport(
  db: Db, dataDir: string, period: string, scope: string,
  who: { uid: number; name: string } | null, opts: { now?: Date } = {},
): Promise<StoredReport> {
  // The period's adjustments counted, not the newest id: ids are handed out before commit, so one
  // committing late under a lower id than the newest would not move a maximum (adjustments are
  // append-only, so the count only grows). Kept in adjustments_through.
  const { rows: state } = await db.query<{ frozen: boolean; adjustments: string }>(
    `SELECT EXISTS (SELECT 1 FROM assessment_periods WHERE period = $1) AS frozen,
            (SELECT count(*) FROM assessment_adjustments WHERE period = $1)::text AS adjustments`,
    [period],
  );
  const { frozen, adjustments } = state[0];
  const { rows: had } = await db.query<ReportRecordV1 & { path: string; document: ReportV1; adjustmentsThrough: string; recent: boolean }>(
    `SELECT ${ROW}, r.path, r.document, r.adjustments_through::text AS "adjustmentsThrough",
            r.generated_at > now() - make_interval(secs => $3::float8 / 1000) AS recent
       ${FROM} WHERE r.period = $1 AND r.scope = $2`,
    [period, scope, REUSE_OPEN_MS],
  );
  const old = had[0];
  const current = old && old.frozen === frozen && old.adjustmentsThrough === adjustments && (frozen || old.recent);
  if (current) {
    const file = path.join(dataDir, old.path);
    const bytes = await readFile(file).catch(() => null);
    if (bytes && createHash('sha256').update(bytes).digest('hex') === old.sha256) {
      const record: ReportRecordV1 = {
        id: old.id, period: old.period, scope: old.scope, scopeName: old.scopeName, frozen: old.frozen, bytes: old.bytes,
        sha256: old.sha256, generatedAt: old.generatedAt, generatedBy: old.generatedBy,
      };
      return { record, document: old.document, file, bytes, made: false };
    }
  }

  const t0 = Date.now();
  const document = await gatherReport(db, period, scope, opts);
  const bytes = await renderXlsx(document);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const rel = fileName(period, scope, sha256);
  await writeAtomically(path.join(dataDir, rel), bytes);
  const record = await inTransaction(db, async (tx) => {
    const { rows } = await tx.query<ReportRecordV1>(
      `WITH w AS (
         INSERT INTO assessment_reports AS r (period, scope, station_id, frozen, adjustments_through, path, bytes, sha256, ms, document, generated_at, generated_by, generated_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (period, scope) DO UPDATE SET frozen = EXCLUDED.frozen, adjustments_through = EXCLUDED.adjustments_through, path = EXCLUDED.path,
           bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, ms = EXCLUDED.ms, document = EXCLUDED.document, generated_at = EXCLUDED.generated_at,
           generated_by = EXCLUDED.generated_by, generated_name = EXCLUDED.generated_name
         RETURNING r.*
       ) SELECT ${ROW} FROM w r LEFT JOIN stations s ON s.id = r.station_id`,
      [period, scope, stationOfScope(scope), document.frozen, adjustments, rel, bytes.length, sha256, Date.now() - t0,
        JSON.stringify(document), document.generatedAt, who && who.uid > 0 ? who.uid : null, who?.name ?? null],
    );
    return rows[0];
  });
  // Old files go only after this row counts and only when old enough (sweepReplaced): a crash before leaves an orphan, never a row without its file.
  await sweepReplaced(db, dataDir, period, scope, rel);
  return { record, document, file: path.join(dataDir, rel), bytes, made: true };
}

/** Stored reports, newest period first; `stationId` null: every scope (the district's reach). */
export async function listReports(db: Db, stationId: number | null, period?: string): Promise<ReportRecordV1[]> {
  const { rows } = await db.query<ReportRecordV1>(
    `SELECT ${ROW} ${FROM}
      WHERE ($1::int IS NULL OR r.station_id = $1) AND ($2::text IS NULL OR r.period = $2)
      ORDER BY r.period DESC, r.scope = 'district' DESC, r.station_id LIMIT 500`,
    [stationId, period ?? null],
  );
  return rows;
}
