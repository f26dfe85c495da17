import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PhotoId } from '@/lib/contracts/events';
import type { ImageMime } from '@/lib/media/sniff';
import type { Role } from '@/lib/roles';
import { inTransaction, type Db } from '../db/pool';
import { audit } from '../repo/audit';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface Photo {
  id: string;
  mime: ImageMime;
  bytes: number;
}

/** Who uploaded: a staff account, or a source system by its API key (uploaded_by stays NULL). */
export type Uploader = { kind: 'account'; uid: number; role: Role } | { kind: 'system'; source: string; apiKeyId: number };

export const photoId = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Where a photo's bytes live: fanned out by the first two hex digits so no directory grows
 * past a few thousand entries. Only ever called with a validated id, so no path escapes.
 */
export function photoPath(dataDir: string, id: string): string {
  if (!PhotoId.safeParse(id).success) throw new Error(`not a photo id: ${id}`);
  return path.join(dataDir, 'photos', id.slice(0, 2), id);
}

async function exists(file: string, size: number): Promise<boolean> {
  try {
    return (await stat(file)).size === size;
  } catch {
    return false;
  }
}

/**
 * Writes the bytes under their hash: to a temporary file first, flushed, then renamed into place.
 * A rename within a directory is atomic, so a crash leaves either the whole photo or none of it
 * (at worst a stray temporary file), and two uploads of the same photo at once both end well.
 */
export async function writePhotoFile(dataDir: string, id: string, bytes: Uint8Array): Promise<void> {
  const file = photoPath(dataDir, id);
  if (await exists(file, bytes.length)) return;
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o640);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * Stores a photo and records it. The file goes first: a row never names bytes that are not on
 * disk, while a file without a row (a crash in between) is harmless and reused by the retry.
 * The same bytes again are the same photo: `created` is false and nothing is written twice.
 */
export async function savePhoto(
  db: Db,
  dataDir: string,
  bytes: Uint8Array,
  mime: ImageMime,
  who: Uploader,
  ip: string,
): Promise<Photo & { created: boolean }> {
  const id = photoId(bytes);
  await writePhotoFile(dataDir, id, bytes);
  return inTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO photos (id, mime, bytes, uploaded_by) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, mime, bytes.length, who.kind === 'account' ? who.uid : null],
    );
    const created = rows.length === 1;
    if (created) {
      const detail = who.kind === 'account' ? { mime, bytes: bytes.length } : { mime, bytes: bytes.length, source: who.source, apiKeyId: who.apiKeyId };
      await audit(tx, who.kind === 'account' ? who : null, { action: 'photo.upload', target: `photo:${id}`, detail, ip });
      return { id, mime, bytes: bytes.length, created };
    }
    // Already known: answer with what was recorded first (same bytes, so same type and size).
    const known = await tx.query<{ mime: ImageMime; bytes: number }>(`SELECT mime, bytes FROM photos WHERE id = $1`, [id]);
    return { id, mime: known.rows[0].mime, bytes: known.rows[0].bytes, created };
  });
}

/** A stored photo's record and a stream of its bytes, or null when either is missing. */
export async function openPhoto(db: Db, dataDir: string, id: string): Promise<(Photo & { stream: ReadStream }) | null> {
  const { rows } = await db.query<{ mime: ImageMime; bytes: number }>(`SELECT mime, bytes FROM photos WHERE id = $1`, [id]);
  if (!rows[0]) return null;
  const file = photoPath(dataDir, id);
  if (!(await exists(file, rows[0].bytes))) {
    console.error(`[photos] ${id} is recorded but its file is missing or truncated: ${file}`);
    return null;
  }
  return { id, mime: rows[0].mime, bytes: rows[0].bytes, stream: createReadStream(file) };
}
