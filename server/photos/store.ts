import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PhotoId } from '@/lib/contracts/events';
import type { ImageMime } from '@/lib/media/sniff';
import { stripMetadata } from '@/lib/media/strip';
import type { Role } from '@/lib/roles';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';
import { auditCitizen } from '../citizen/audit';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface Photo {
  id: string;
  mime: ImageMime;
  bytes: number;
}

/** Who uploaded: a staff account, a source system by its API key, or a resident's phone by its device id (issue 14; uploaded_by stays NULL for both). */
export type Uploader =
  | { kind: 'account'; uid: number; role: Role }
  | { kind: 'system'; source: string; apiKeyId: number }
  | { kind: 'device'; deviceId: string };

/** A resident's photo from /m (issue 14): phones resize before sending, so half the staff limit is plenty. */
export const MAX_CITIZEN_PHOTO_BYTES = 5 * 1024 * 1024;

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
 * Upload quota per account and per API key over a rolling 24 h. A busy gridder reports a few
 * dozen events a day with up to 9 photos each, resized by the field page to a few hundred kB:
 * 200 photos and 200 MB leave room for the worst day, while a stolen session or a runaway client
 * fills at most 200 MB of disk a day before someone notices.
 */
export const QUOTA_PHOTOS = 200;
export const QUOTA_BYTES = 200 * 1024 * 1024;
export const QUOTA_HOURS = 24;

/** 429 with Retry-After in seconds; the message says which limit and when to try again. */
function overQuota(who: Uploader, retryAfter: number): DomainError {
  const whose = who.kind === 'account' ? '每个账号' : who.kind === 'device' ? '每部手机' : '每个 API 密钥';
  const message = `照片上传已达上限（${whose} ${QUOTA_HOURS} 小时内至多 ${QUOTA_PHOTOS} 张、${QUOTA_BYTES / 1024 / 1024} MB），请约 ${Math.ceil(retryAfter / 60)} 分钟后再试`;
  return new DomainError('too_many', 'quota_exceeded', message, undefined, { 'retry-after': String(retryAfter) });
}

/** A two-key advisory lock per photo id (a space apart from the single-key ones of migrate and backfill). */
export const PHOTO_LOCK = 7_305_102;

/** Seconds until one more upload of `size` bytes fits beside `window` (oldest first), or null when it fits now. */
export function quotaWait(window: { bytes: number; leavesIn: number }[], size: number): number | null {
  let n = window.length;
  let total = window.reduce((sum, p) => sum + p.bytes, 0);
  const fits = () => n + 1 <= QUOTA_PHOTOS && total + size <= QUOTA_BYTES;
  if (fits()) return null;
  for (const p of window) {
    n -= 1;
    total -= p.bytes;
    if (fits()) return Math.max(1, Math.ceil(p.leavesIn));
  }
  return QUOTA_HOURS * 3600;
}

const UPLOADER_COLUMN = { account: 'uploaded_by', system: 'api_key_id', device: 'device_id' } as const;
const uploaderKey = (who: Uploader): number | string => (who.kind === 'account' ? who.uid : who.kind === 'system' ? who.apiKeyId : who.deviceId);

/**
 * The quota check for an uploader's next `size` bytes; see quotaWait. Unlocked: uploads running
 * at the same moment may pass it together, overrunning by at most their number; a lock per
 * uploader would instead hold a pool connection for every upload waiting on it.
 */
async function uploaderWait(tx: Tx, who: Uploader, size: number): Promise<number | null> {
  const { rows } = await tx.query<{ bytes: number; leavesIn: number }>(
    `SELECT bytes, extract(epoch FROM uploaded_at + make_interval(hours => $2) - now())::float8 AS "leavesIn"
       FROM photos WHERE ${UPLOADER_COLUMN[who.kind]} = $1 AND uploaded_at > now() - make_interval(hours => $2)
      ORDER BY uploaded_at`,
    [uploaderKey(who), QUOTA_HOURS],
  );
  return quotaWait(rows, size);
}

/**
 * Stores a photo without its metadata (lib/media/strip) and records it, under its hash after
 * stripping. The same picture again is the same photo: `created` is false, nothing is written
 * twice and no quota is spent. The file is written inside the transaction, under a lock on the
 * id that the orphan sweep takes too, so the sweep never removes a file an upload just reused;
 * and the file goes first, so a row never names bytes that are not on disk.
 */
export async function savePhoto(
  db: Db,
  dataDir: string,
  upload: Uint8Array,
  mime: ImageMime,
  who: Uploader,
  ip: string,
): Promise<Photo & { created: boolean }> {
  const clean = stripMetadata(upload, mime);
  if (!clean.ok) throw new DomainError('unprocessable', 'invalid_image', `图片结构损坏，无法处理：${clean.reason}`, [{ path: 'body', message: clean.reason }]);
  const bytes = clean.bytes;
  const id = photoId(bytes);
  return inTransaction(db, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [PHOTO_LOCK, id]);
    // Asked for again: an unreferenced photo's sweep clock restarts, as an event naming it may follow.
    const known = await tx.query<{ mime: ImageMime; bytes: number }>(
      `UPDATE photos SET uploaded_at = CASE WHEN kept THEN uploaded_at ELSE now() END WHERE id = $1 RETURNING mime, bytes`,
      [id],
    );
    if (known.rows[0]) {
      await recordUploader(tx, id, who);
      return { id, mime: known.rows[0].mime, bytes: known.rows[0].bytes, created: false };
    }
    const wait = await uploaderWait(tx, who, bytes.length);
    if (wait !== null) throw overQuota(who, wait);
    await writePhotoFile(dataDir, id, bytes);
    await tx.query(`INSERT INTO photos (id, mime, bytes, uploaded_by, api_key_id, device_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id, mime, bytes.length, who.kind === 'account' ? who.uid : null, who.kind === 'system' ? who.apiKeyId : null, who.kind === 'device' ? who.deviceId : null,
    ]);
    await recordUploader(tx, id, who);
    const detail = {
      mime, bytes: bytes.length, stripped: upload.length - bytes.length,
      ...(who.kind === 'system' ? { source: who.source, apiKeyId: who.apiKeyId } : who.kind === 'device' ? { deviceId: who.deviceId } : {}),
    };
    if (who.kind === 'device') await auditCitizen(tx, { action: 'citizen.photo', target: `photo:${id}`, detail, ip });
    else await audit(tx, who.kind === 'account' ? who : null, { action: 'photo.upload', target: `photo:${id}`, detail, ip });
    return { id, mime, bytes: bytes.length, created: true };
  });
}

/** Whoever uploads a photo may attach it and see it, also when someone uploaded the same bytes first. */
async function recordUploader(tx: Tx, id: string, who: Uploader): Promise<void> {
  const column = { account: 'account_id', system: 'api_key_id', device: 'device_id' }[who.kind];
  await tx.query(
    `INSERT INTO photo_uploaders (photo_id, ${column}) VALUES ($1, $2) ON CONFLICT (photo_id, ${column}) WHERE ${column} IS NOT NULL DO NOTHING`,
    [id, uploaderKey(who)],
  );
}

/** SQL: photo `photoId` was uploaded by the phone `device` (a resident's own uploads are the ones it may attach). */
export const UPLOADED_BY_DEVICE = (photoId: string, device: string) =>
  `EXISTS (SELECT 1 FROM photo_uploaders pu WHERE pu.photo_id = ${photoId} AND pu.device_id = ${device})`;

/** SQL: photo `photoId` was uploaded by account `account` or key `key` (either may be NULL). */
export const UPLOADED_BY = (photoId: string, account: string, key: string) =>
  `EXISTS (SELECT 1 FROM photo_uploaders pu WHERE pu.photo_id = ${photoId} AND (pu.account_id = ${account} OR pu.api_key_id = ${key}))`;

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
