import { createHash, randomInt } from 'node:crypto';
import {
  CITIZEN_KIND_LABEL, CODE_ALPHABET, KIND_CATEGORY, type CitizenKind, type CitizenReceiptV1, type CitizenSubmissionV1,
} from '@/lib/contracts/citizen';
import type { NoticeV1 } from '@/lib/contracts/events';
import { CITIZEN_KIND_CATEGORIES } from '@/lib/categories';
import { resolveLimits, stageDeadlines } from '@/lib/events/deadlines';
import type { EventKind } from '@/lib/events/machine';
import { titleOf, contentWords } from '@/lib/citizen/words';
import type { AppContext } from '../context';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { DONE_SQL, isoSql } from '../db/sql';
import { DomainError } from '../errors';
import { placeOf, resolveCategory } from '../events/report';
import { EventWriter } from '../events/writer';
import { enqueue } from '../outbox/outbox';
import { UPLOADED_BY, UPLOADED_BY_DEVICE } from '../photos/store';
import { auditCitizen } from './audit';

/*
 * A resident's request (issue 14; S9, S14): one event in the station's queue, written by the
 * event writer's statement like every other report, and one citizen_requests row the resident
 * follows by its code, committed together; the receipt is given only once both are. The event's key
 * is derived from the request's, so an event left without its row (written by an earlier version,
 * or a row removed) is found again on the retry.
 */

export type CitizenChannel = 'web' | 'open311';

export interface CitizenMeta {
  ip: string;
  /** The Open311 client's API key (channel 'open311' only). */
  apiKeyId?: number;
  apiKeyName?: string;
  /** Kept on the request's row (Open311's attributes, email, media_url). */
  details?: Record<string, unknown>;
}

export interface CitizenSubmitResult {
  receipt: CitizenReceiptV1;
  /** A new request row (201); false for a retry or the same phone's identical request merged into its first (200). */
  created: boolean;
  eventId: number;
}

export type SubmitDeps = Pick<AppContext, 'db' | 'reference'>;

const unprocessable = (path: string, code: string, message: string) => new DomainError('unprocessable', code, message, [{ path, message }]);

/** Where the event files: a report under the resident's choice (not 咨询 or 投诉建议), the rest by their kind. */
export function categoryOf(input: CitizenSubmissionV1): { category: string; subcategory: string | undefined } {
  switch (input.kind) {
    case 'report':
      return { category: input.category, subcategory: input.subcategory };
    case 'mediation':
      return { category: 'dispute', subcategory: `dispute.${input.disputeKind}` };
    default: {
      const code = KIND_CATEGORY[input.kind];
      const [top] = code.split('.');
      return { category: top, subcategory: code === top ? undefined : code };
    }
  }
}

const EVENT_KIND: Record<CitizenKind, EventKind> = {
  report: 'problem', mediation: 'mediation', question: 'question', complaint: 'complaint', suggestion: 'suggestion',
};

/** The request without its key: a key reused for something else is refused. */
export function citizenRequestHash(input: CitizenSubmissionV1): string {
  const rest: Record<string, unknown> = { ...input, idempotencyKey: undefined };
  return createHash('sha256').update(JSON.stringify(rest, Object.keys(rest).sort())).digest('hex').slice(0, 32);
}

/** pg_advisory_xact_lock's class for a request's content (review M4); the other classes are in server/jobs, photos, live. */
const CONTENT_LOCK = 7_305_141;

/** About 50 m: the same spot reported from two phones standing apart still counts as the same. */
const CELL = 0.0005;

/** Kind, category, words and place, normalised: what makes two requests the same one (merging, 24 h). */
export function contentHash(kind: CitizenKind, category: string, subcategory: string | undefined, description: string, place: string): string {
  return createHash('sha256').update([kind, category, subcategory ?? '', contentWords(description), place].join('\u0000')).digest('hex').slice(0, 32);
}

/** A tracking code: 10 characters of Crockford's base 32 from the crypto generator (~50 bits), never derived from an id. */
export function newCode(): string {
  return Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}
export const newPin = (): string => String(randomInt(1_000_000)).padStart(6, '0');

interface RequestRow {
  id: number;
  code: string;
  pin: string;
  kind: CitizenKind;
  eventId: number;
  merged: boolean;
  requestHash: string;
  createdAt: string;
}

const REQUEST = `id, code, pin, kind, event_id AS "eventId", merged, request_hash AS "requestHash", ${isoSql('created_at')} AS "createdAt"`;

const receiptOf = (r: RequestRow, merged: boolean): CitizenReceiptV1 => ({ code: r.code, pin: r.pin, kind: r.kind, createdAt: r.createdAt, merged });

const keyConflict = (key: string) =>
  new DomainError('conflict', 'idempotency_conflict', `幂等键 ${key} 已用于另一条不同的诉求`, [{ path: 'body.idempotencyKey', message: '已用于另一条不同的诉求' }]);

export async function submitCitizenRequest(
  app: SubmitDeps,
  channel: CitizenChannel,
  input: CitizenSubmissionV1,
  meta: CitizenMeta,
): Promise<CitizenSubmitResult> {
  const apiKeyId = channel === 'open311' ? meta.apiKeyId : undefined;
  if (channel === 'open311' && apiKeyId === undefined) throw new Error('an Open311 request needs its API key id');
  const hash = citizenRequestHash(input);
  const byKey = async (q: Db | Tx = app.db): Promise<RequestRow | undefined> =>
    (await q.query<RequestRow>(
      `SELECT ${REQUEST} FROM citizen_requests
        WHERE channel = $1 AND coalesce(api_key_id, 0) = $2 AND coalesce(device_id, '') = $3 AND idempotency_key = $4`,
      [channel, apiKeyId ?? 0, input.deviceId, input.idempotencyKey],
    )).rows[0];
  const retried = (r: RequestRow): CitizenSubmitResult => {
    if (r.requestHash !== hash) throw keyConflict(input.idempotencyKey);
    return { receipt: receiptOf(r, r.merged), created: false, eventId: r.eventId };
  };

  const prior = await byKey();
  if (prior) return retried(prior);

  const ref = await app.reference.get();
  const { category: code, subcategory } = categoryOf(input);
  if (input.kind === 'report' && CITIZEN_KIND_CATEGORIES.includes(code))
    throw unprocessable('body.category', 'unknown_category', `咨询、投诉与建议请选择相应的诉求类型，不作为问题类别：${code}`);
  const { category, sub } = resolveCategory(ref, code, subcategory);

  // A complaint (or suggestion) about an earlier request is filed where that request was handled (review M3):
  // the station whose handling it is about answers for it, not the one where the resident happens to stand.
  let about: { eventId: number; villageCode: string | null } | null = null;
  if ((input.kind === 'complaint' || input.kind === 'suggestion') && input.about) {
    const { rows } = await app.db.query<{ eventId: number; villageCode: string | null }>(
      `SELECT cr.event_id AS "eventId", e.village_code AS "villageCode" FROM citizen_requests cr JOIN events e ON e.id = cr.event_id WHERE cr.code = $1`,
      [input.about],
    );
    if (!rows[0]) throw unprocessable('body.about', 'unknown_request', `查询码 ${input.about} 不存在`);
    about = rows[0];
  }
  const aboutEvent = input.kind === 'complaint' && about ? about.eventId : null;
  const filedAtAbout = about?.villageCode ?? null;
  const location = filedAtAbout ? undefined : input.location;
  const village = filedAtAbout ?? placeOf(ref, input);
  const place = location ? `${Math.round(location.lon / CELL)}:${Math.round(location.lat / CELL)}` : `v:${village}`;
  // A complaint about one request is not the same as the same words about another.
  const aboutKey = about && (input.kind === 'complaint' || input.kind === 'suggestion') ? `:${input.about}` : '';
  const content = contentHash(input.kind, code, subcategory, input.description, place + aboutKey);
  const phone = input.phone ?? null;

  const photos = input.kind === 'report' ? input.photos : [];
  if (photos.length) {
    // Only the phone's own uploads (or the Open311 client's): knowing a photo's id must not attach someone else's.
    const own = apiKeyId !== undefined ? UPLOADED_BY('p.id', 'NULL', '$2') : UPLOADED_BY_DEVICE('p.id', '$2');
    const { rows } = await app.db.query<{ id: string }>(`SELECT p.id FROM photos p WHERE p.id = ANY($1::text[]) AND ${own}`, [photos, apiKeyId ?? input.deviceId]);
    const missing = photos.findIndex((p) => !rows.some((x) => x.id === p));
    if (missing >= 0) throw unprocessable(`body.photos.${missing}`, 'unknown_photo', '照片未上传或编号有误');
  }

  const source = channel === 'web' ? 'citizen' : 'open311';
  const key = `${channel}:${apiKeyId ?? input.deviceId}:${input.idempotencyKey}`;

  async function submitLocked(tx: Tx): Promise<CitizenSubmitResult> {
    // Requests with the same content one at a time (review M4): four identical reports at once make one event,
    // the others follow it. The event is written in this transaction, so the lock covers the lookup and the write.
    await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [CONTENT_LOCK, content]);
    // The same key sent twice at once: the other one won while this one waited.
    const first = await byKey(tx);
    if (first) return retried(first);

    // The same phone (its device id; an Open311 client's own resident) sending the same thing again today: its
    // first request is the answer. Never matched by the phone number alone (review H2): anyone can type a number,
    // and the answer carries the code and PIN; such a request takes the shared path below, with a code of its own.
    const mine = (await tx.query<RequestRow>(
      `SELECT ${REQUEST} FROM citizen_requests
        WHERE content_hash = $1 AND created_at > now() - interval '24 hours'
          AND channel = $2 AND coalesce(api_key_id, 0) = $3 AND device_id = $4
        ORDER BY id LIMIT 1`,
      [content, channel, apiKeyId ?? 0, input.deviceId],
    )).rows[0];
    if (mine) return { receipt: receiptOf(mine, true), created: false, eventId: mine.eventId };

    // Another resident's identical request today, still open: this one follows that event with its own code.
    const shared = (await tx.query<{ eventId: number }>(
      `SELECT cr.event_id AS "eventId" FROM citizen_requests cr JOIN events e ON e.id = cr.event_id
        WHERE cr.content_hash = $1 AND cr.created_at > now() - interval '24 hours' AND e.state NOT IN ${DONE_SQL}
        ORDER BY cr.id LIMIT 1`,
      [content],
    )).rows[0];

    let eventId: number;
    if (shared) eventId = shared.eventId;
    else {
      const severity = sub?.severity ?? category.severity;
      const now = new Date();
      const limits = resolveLimits(ref.limits, { category: code, subcategory, severity });
      const { due, red } = stageDeadlines('accept', now, limits, ref.calendar);
      // The writer's statement on this transaction's connection (it only calls query): committed with the request row.
      const row = await new EventWriter(tx as unknown as Db).write({
        source, key, hash, category: code, subcategory: subcategory ?? null,
        title: titleOf(input.kind === 'report' ? null : CITIZEN_KIND_LABEL[input.kind], input.description, input.name),
        description: input.description, severity, lon: location?.lon ?? null, lat: location?.lat ?? null, village,
        occurred: null, rname: input.name ?? null, rphone: phone, citizen: true, photos, ext: null, address: input.address ?? null,
        due: due.toISOString(), red: red.toISOString(), actor: null, role: 'citizen', aname: '群众', ip: meta.ip, at: now.toISOString(),
        kind: EVENT_KIND[input.kind], about: aboutEvent,
      });
      if (row) eventId = row.id;
      else {
        // Written before a crash (converging now), or not written at all: its point lies in no grid.
        const { rows } = await tx.query<{ id: number; requestHash: string | null }>(
          `SELECT id, request_hash AS "requestHash" FROM events WHERE source = $1 AND idempotency_key = $2`,
          [source, key],
        );
        if (!rows[0]) throw unprocessable('body.location', 'outside_district', '位置不在本区任何网格内');
        if (rows[0].requestHash !== hash) throw keyConflict(input.idempotencyKey);
        eventId = rows[0].id;
      }
    }
    const row = await record(tx, {
      channel, input, meta, apiKeyId: apiKeyId ?? null, hash, content, eventId, merged: Boolean(shared), about: aboutEvent,
    });
    return { receipt: receiptOf(row, row.merged), created: true, eventId };
  }

  for (let n = 0; ; n++) {
    try {
      return await inTransaction(app.db, submitLocked);
    } catch (err) {
      const constraint = (err as { constraint?: string }).constraint;
      // The same key sent twice at once past the lock (another content): the other one won; answer as its retry.
      if (constraint === 'citizen_requests_idempotency') {
        const first = await byKey();
        if (first) return retried(first);
      }
      if (constraint === 'citizen_requests_code_key' && n < 5) continue;
      throw err;
    }
  }
}

interface Recording {
  channel: CitizenChannel;
  input: CitizenSubmissionV1;
  meta: CitizenMeta;
  apiKeyId: number | null;
  hash: string;
  content: string;
  eventId: number;
  merged: boolean;
  about: number | null;
}

function detailsOf(input: CitizenSubmissionV1, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const own =
    input.kind === 'mediation'
      ? { disputeKind: input.disputeKind, otherParty: input.otherParty, preferredTime: input.preferredTime ?? null }
      : (input.kind === 'complaint' || input.kind === 'suggestion') && input.about ? { about: input.about } : {};
  return { ...own, ...extra };
}

async function record(tx: Tx, r: Recording): Promise<RequestRow> {
  const { input } = r;
  const { rows } = await tx.query<RequestRow>(
    `INSERT INTO citizen_requests (code, pin, kind, channel, api_key_id, device_id, idempotency_key, request_hash, content_hash,
                                   event_id, merged, station_id, name, phone, details)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, e.id, $10, e.station_id, $11, $12, $13 FROM events e WHERE e.id = $14
     RETURNING ${REQUEST}`,
    [newCode(), newPin(), input.kind, r.channel, r.apiKeyId, input.deviceId, input.idempotencyKey, r.hash, r.content,
      r.merged, input.name ?? null, input.phone ?? null, detailsOf(input, r.meta.details), r.eventId],
  );
  const row = rows[0];
  const notices: NoticeV1[] = [];
  // S14: a complaint about how an earlier request was handled reopens that event's supervision.
  if (r.about !== null && !r.merged) notices.push(...(await reopenSupervision(tx, r.about, r.eventId, input.description)));
  await auditCitizen(tx, {
    action: r.channel === 'open311' ? 'open311.request' : 'citizen.submit', target: `event:${r.eventId}`, ip: r.meta.ip,
    detail: {
      code: row.code, kind: input.kind, eventId: r.eventId, channel: r.channel, merged: r.merged,
      ...(r.apiKeyId !== null ? { apiKeyId: r.apiKeyId, apiKeyName: r.meta.apiKeyName ?? null } : {}),
    },
  }, r.channel === 'open311' ? 'open311' : 'citizen');
  await enqueue(tx, 'notice', notices.map((n) => n.id));
  return row;
}

async function reopenSupervision(tx: Tx, about: number, complaintEvent: number, words: string): Promise<NoticeV1[]> {
  const { rows } = await tx.query<{ state: string }>(
    `UPDATE events SET supervision_reopened_at = now(), version = version + 1, updated_at = now() WHERE id = $1 RETURNING state`,
    [about],
  );
  if (!rows[0]) return [];
  const note = `群众投诉：${words.length > 200 ? `${words.slice(0, 200)}…` : words}`;
  await tx.query(
    `INSERT INTO event_log (event_id, actor_role, actor_name, from_state, to_state, action, note, data)
     VALUES ($1, 'citizen', '群众', $2, $2, 'supervise', $3, $4)`,
    [about, rows[0].state, note, { complaint: complaintEvent }],
  );
  const notices = await tx.query<NoticeV1>(
    `INSERT INTO notifications (account_id, kind, event_id, title, body)
     SELECT a.id, 'citizen_complaint', e.id, '群众投诉，重新督办：' || e.title, '事件 #' || e.id || ' 收到群众投诉（事件 #' || $2 || '），请重新督办'
       FROM events e JOIN accounts a ON a.station_id = e.station_id AND NOT a.disabled AND a.role IN ('deputy_chief', 'station_chief')
      WHERE e.id = $1
     -- One notice per leader, kind and event (migration 006's unique key): a later one raises it again, unread, with
     -- the latest words, rather than being dropped (review L5: a second resident's 不满意 / a later complaint reached no one).
     ON CONFLICT (account_id, kind, event_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, created_at = now(), read_at = NULL
     RETURNING id, account_id AS "accountId", kind, event_id AS "eventId", title, body, ${isoSql('created_at')} AS "createdAt"`,
    [about, complaintEvent],
  );
  await enqueue(tx, 'incident', [about]);
  return notices.rows;
}
