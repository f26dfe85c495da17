import { createHash } from 'node:crypto';
import type { EventReceiptV1, EventReportV1 } from '@/lib/contracts/events';
import { resolveLimits, stageDeadlines } from '@/lib/events/deadlines';
import { matchVillage } from '@/lib/geo/address';
import type { AppContext } from '../context';
import { DomainError } from '../errors';
import { UPLOADED_BY } from '../photos/store';
import type { CategoryRow, Reference } from './reference';
import { WRITTEN, writerFor, type WrittenEvent } from './writer';

/** Who reported: a staff account (field app), or a system by its API key. */
export interface Reporter {
  source: string;
  accountId: number | null;
  /** A source system's key: its own uploads are the photos it may attach. */
  apiKeyId?: number;
  role: string;
  name: string;
  citizen?: boolean;
  ip?: string;
}

const unprocessable = (path: string, code: string, message: string) => new DomainError('unprocessable', code, message, [{ path, message }]);

/** The category and sub-category named, active and belonging together; else 422 naming body.category or body.subcategory. */
export function resolveCategory(ref: Reference, code: string, subcode: string | undefined): { category: CategoryRow; sub: CategoryRow | undefined } {
  const category = ref.categories.get(code);
  if (!category || !category.active || category.parentCode !== null)
    throw unprocessable('body.category', 'unknown_category', `未知的事件类别：${code}`);
  const sub = subcode === undefined ? undefined : ref.categories.get(subcode);
  if (subcode !== undefined && (!sub || !sub.active || sub.parentCode !== code))
    throw unprocessable('body.subcategory', 'unknown_subcategory', `类别 ${code} 下没有子类 ${subcode}`);
  return { category, sub };
}

/** Without a point, the village the report names (by code, or found in its address): the event is placed there (issue 4). */
export function placeOf(ref: Reference, r: { location?: unknown; villageCode?: string; address?: string }): string | null {
  if (r.location) return null;
  if (r.villageCode) {
    if (!ref.villages.some((v) => v.code === r.villageCode)) throw unprocessable('body.villageCode', 'unknown_village', `未知的村社代码：${r.villageCode}`);
    return r.villageCode;
  }
  const m = matchVillage(r.address ?? '', ref.villages);
  if (!m.ok)
    throw unprocessable('body.address', 'unplaceable', m.reason === 'ambiguous' ? '地址对应多个村社，请写明镇街或提供位置' : '无法从地址识别村社，请提供位置或村社代码');
  return m.code;
}

/** A digest of what was asked, without the key: a key reused for a different report is refused. */
export function requestHash(r: EventReportV1): string {
  const rest = { ...r, idempotencyKey: undefined };
  return createHash('sha256').update(JSON.stringify(rest, Object.keys(rest).sort())).digest('hex').slice(0, 32);
}

/** What reporting needs of the app: usable from the simulator and tests without an HTTP server. */
export type ReportDeps = Pick<AppContext, 'db' | 'reference'>;

export async function reportEvent(app: ReportDeps, who: Reporter, r: EventReportV1): Promise<EventReceiptV1> {
  const ref = await app.reference.get();
  const { category, sub } = resolveCategory(ref, r.category, r.subcategory);
  const villageCode = placeOf(ref, r);
  if (r.photos.length) {
    // Only one's own uploads: knowing a photo's id must not be a way to attach, and so to see, someone else's (issue 10).
    const { rows } = await app.db.query<{ id: string }>(
      `SELECT p.id FROM photos p WHERE p.id = ANY($1::text[]) AND ${UPLOADED_BY('p.id', '$2', '$3')}`,
      [r.photos, who.accountId, who.apiKeyId ?? null],
    );
    const missing = r.photos.findIndex((p) => !rows.some((x) => x.id === p));
    if (missing >= 0) throw unprocessable(`body.photos.${missing}`, 'unknown_photo', '照片未上传或编号有误');
  }

  const severity = r.severity ?? sub?.severity ?? category.severity;
  const now = new Date();
  const limits = resolveLimits(ref.limits, { category: r.category, subcategory: r.subcategory, severity });
  const { due, red } = stageDeadlines('accept', now, limits, ref.calendar);
  const hash = requestHash(r);
  const row = await writerFor(app.db).write({
    source: who.source, key: r.idempotencyKey, hash, category: r.category, subcategory: r.subcategory ?? null, title: r.title,
    description: r.description ?? null, severity, lon: r.location?.lon ?? null, lat: r.location?.lat ?? null, village: villageCode,
    occurred: r.occurredAt ?? null, rname: r.reporter?.name ?? null, rphone: r.reporter?.phone ?? null, citizen: who.citizen ?? false,
    photos: r.photos, ext: r.externalId ?? null, address: r.address ?? null, due: due.toISOString(), red: red.toISOString(),
    actor: who.accountId, role: who.role, aname: who.name, ip: who.ip ?? null, at: now.toISOString(),
  });
  if (!row) return replay(app, who.source, r.idempotencyKey, hash);

  return receipt(row, true);
}

/** The key is known: the first event is the answer, unless the key came with a different report. */
async function replay(app: ReportDeps, source: string, key: string, hash: string): Promise<EventReceiptV1> {
  const { rows } = await app.db.query<WrittenEvent>(`SELECT ${WRITTEN} FROM events WHERE source = $1 AND idempotency_key = $2`, [source, key]);
  const row = rows[0];
  if (!row) throw unprocessable('body.location', 'outside_district', '位置不在本区任何网格内');
  if (row.requestHash !== hash)
    throw new DomainError('conflict', 'idempotency_conflict', `幂等键 ${key} 已用于另一条不同的上报`, [{ path: 'body.idempotencyKey', message: '已用于另一条不同的上报' }]);
  return receipt(row, false);
}

function receipt(row: WrittenEvent, created: boolean): EventReceiptV1 {
  return {
    id: row.id, created, state: row.state, placement: row.placement, gridCode: row.gridCode, villageCode: row.villageCode,
    townCode: row.townCode, stationId: row.stationId, duplicateOf: row.duplicateOf, deadlineAt: row.deadlineAt,
  };
}
