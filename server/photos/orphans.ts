import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../context';
import { inTransaction, type Db } from '../db/pool';
import { repeat } from '../jobs/repeat';
import { audit } from '../repo/audit';
import { PHOTO_LOCK, photoPath } from './store';

const BATCH = 200;
/** A temporary file older than this is no upload in progress (one takes seconds) but a crash's leftover. */
const TMP_MAX_AGE_MS = 60 * 60 * 1000;

// An event names its report photos in events.photos; handling and verification photos are in
// the step's event_log.data.photos. Both conditions match the partial indexes of migration 009.
const REFERENCED = `(EXISTS (SELECT 1 FROM events e WHERE e.photos <> '{}' AND e.photos @> ARRAY[p.id])
  OR EXISTS (SELECT 1 FROM event_log l WHERE l.data ? 'photos' AND l.data -> 'photos' ? p.id))`;

/**
 * Removes photos that no event has named `olderThanHours` after their upload, file and row: they
 * were uploaded for a report never sent (or by someone filling the disk). A referenced photo is
 * marked kept and never looked at again. Each removal holds the photo's lock, so an upload of the
 * same picture at that moment either comes first (and restarts its clock) or writes it anew.
 */
export async function sweepOrphans(db: Db, dataDir: string, olderThanHours = 24): Promise<{ removed: number; kept: number; tmp: number }> {
  let removed = 0;
  let kept = 0;
  let after = '';
  for (;;) {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM photos WHERE NOT kept AND uploaded_at < now() - make_interval(hours => $1) AND id > $2 ORDER BY id LIMIT ${BATCH}`,
      [olderThanHours, after],
    );
    for (const { id } of rows) {
      const outcome = await inTransaction(db, async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [PHOTO_LOCK, id]);
        const mark = await tx.query(`UPDATE photos p SET kept = true WHERE id = $1 AND NOT kept AND ${REFERENCED}`, [id]);
        if (mark.rowCount) return 'kept';
        const gone = await tx.query(
          `DELETE FROM photos p WHERE id = $1 AND NOT kept AND uploaded_at < now() - make_interval(hours => $2) RETURNING mime, bytes`,
          [id, olderThanHours],
        );
        if (!gone.rowCount) return 'skipped';
        await audit(tx, null, { action: 'photo.orphan_removed', target: `photo:${id}`, detail: gone.rows[0] });
        // Inside the transaction and the lock: should the commit fail, the openPhoto log names the row.
        await unlink(photoPath(dataDir, id)).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
        return 'removed';
      });
      if (outcome === 'kept') kept++;
      if (outcome === 'removed') removed++;
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1].id;
  }
  return { removed, kept, tmp: await removeStaleTmp(dataDir) };
}

/** Temporary files a crash left behind in DATA_DIR/photos/xx/ (writePhotoFile renames them into place otherwise). */
async function removeStaleTmp(dataDir: string): Promise<number> {
  const root = path.join(dataDir, 'photos');
  const dirs = await readdir(root, { withFileTypes: true }).catch(() => []);
  let n = 0;
  for (const dir of dirs.filter((d) => d.isDirectory())) {
    for (const name of await readdir(path.join(root, dir.name)).catch(() => [] as string[])) {
      if (!name.endsWith('.tmp')) continue;
      const file = path.join(root, dir.name, name);
      const st = await stat(file).catch(() => null);
      if (st && Date.now() - st.mtimeMs > TMP_MAX_AGE_MS && (await unlink(file).then(() => true, () => false))) n++;
    }
  }
  return n;
}

/** Sweeps orphaned photos every hour; a photo lives between 24 and 25 hours unreferenced. */
export function startPhotoSweeper(app: AppContext, everyMs = 60 * 60 * 1000): { stop(): Promise<void> } {
  return repeat('photos', everyMs, async () => {
    const r = await sweepOrphans(app.db, app.config.dataDir);
    if (r.removed || r.tmp) console.log(`[photos] removed ${r.removed} orphaned photos and ${r.tmp} stale temporary files`);
  });
}
