import { createHash, timingSafeEqual } from 'node:crypto';
import { RATING_VALUE, type CitizenRatingV1, type CitizenTrackingV1 } from '@/lib/contracts/citizen';
import type { NoticeV1 } from '@/lib/contracts/events';
import { decide, type EventKind, type EventState } from '@/lib/events/machine';
import { choiceOf } from '@/lib/citizen/progress';
import type { AppContext } from '../context';
import { inTransaction, type Tx } from '../db/pool';
import { isoSql } from '../db/sql';
import { DomainError } from '../errors';
import { enqueue } from '../outbox/outbox';
import { auditCitizen } from './audit';
import type { CitizenLimits } from './limits';
import { followedEvents, notFound, requestByCode, trackingOf } from './track';

/**
 * A resident rates their request once it is closed (已办结 / 已答复; S9, S14). The first request
 * of an event rates the event through the machine's `rate` (closed → rated), so the satisfaction
 * figure moves (server/analytics reads events.rating); a request merged into another's event keeps
 * its rating on its own row. The same choice again answers as before; another choice is a 409.
 * 不满意 tells the station's deputy chief(s) (S14).
 *
 * Knowing the code is not enough (review H3: staff and Open311 lists saw codes): a web request is
 * rated from the phone that sent it (its device id) or with its PIN, an Open311 one with its PIN
 * only. A wrong credential counts against the request's phone number and the address, as a wrong
 * PIN at the lookup does (server/citizen/limits.ts).
 */
export async function rateRequest(
  app: Pick<AppContext, 'db' | 'reference'>, code: string, input: CitizenRatingV1, ip: string, limits: Pick<CitizenLimits, 'secretAllowed' | 'secretFailed'>,
): Promise<CitizenTrackingV1> {
  const value = RATING_VALUE[input.rating];
  return inTransaction(app.db, async (tx) => {
    const r = await requestByCode(tx, code, true);
    if (!r) throw notFound();
    const own = await tx.query<{ channel: string; pin: string }>(`SELECT channel, pin FROM citizen_requests WHERE id = $1`, [r.id]);
    const { channel, pin } = own.rows[0];
    const byDevice = channel === 'web' && sameSecret(input.deviceId, r.deviceId);
    if (!byDevice) {
      await limits.secretAllowed(ip, r.phone);
      if (!sameSecret(input.pin, pin)) {
        await limits.secretFailed(ip, r.phone);
        const message = input.pin ? '查询密码不正确' : '请填写该诉求的查询密码（6 位数字）';
        throw new DomainError('forbidden', 'rating_credential', `只有提交诉求的手机或凭查询密码才能评价：${message}`, [{ path: 'body.pin', message }]);
      }
    }
    if (r.rating !== null) {
      if (choiceOf(r.rating) !== input.rating)
        throw new DomainError('conflict', 'already_rated', '该诉求已评价，不能更改', [{ path: 'body.rating', message: '已评价，不能更改' }]);
      return trackingOf(app, r, tx);
    }
    const events = await followedEvents(tx, r.eventId);
    const current = events[events.length - 1];
    const first = events[0];
    const closed = current.state === 'closed' || current.state === 'rated';
    if (!closed) throw new DomainError('conflict', 'not_closed', '诉求尚未办结，暂不能评价', [{ path: 'params.code', message: '尚未办结' }]);

    const notices: NoticeV1[] = [];
    // The first resident's request on an event still open to rating: the event itself is rated.
    const ratesEvent = !r.merged && events.length === 1 && first.state === 'closed';
    if (ratesEvent) {
      const { rows } = await tx.query<{ state: EventState; citizen: boolean; kind: EventKind }>(
        `SELECT state, reported_by_citizen AS citizen, kind FROM events WHERE id = $1 FOR UPDATE`,
        [r.eventId],
      );
      const d = decide({ state: rows[0].state, reportedByCitizen: rows[0].citizen, kind: rows[0].kind }, 'rate', 'citizen');
      if (!d.ok) throw new DomainError('conflict', 'invalid_transition', '诉求当前不能评价');
      await tx.query(
        `UPDATE events SET state = $2, rating = $3, rated_at = now(), version = version + 1, updated_at = now() WHERE id = $1`,
        [r.eventId, d.to, value],
      );
      await tx.query(
        `INSERT INTO event_log (event_id, actor_role, actor_name, from_state, to_state, action, note, data)
         VALUES ($1, 'citizen', '群众', $2, $3, 'rate', $4, $5)`,
        [r.eventId, rows[0].state, d.to, input.comment ?? null, { rating: value, code: r.code }],
      );
      await enqueue(tx, 'incident', [r.eventId]);
    }
    await tx.query(`UPDATE citizen_requests SET rating = $2, rating_comment = $3, rated_at = now() WHERE id = $1`, [r.id, value, input.comment ?? null]);
    if (input.rating === 'dissatisfied') notices.push(...(await noticeDissatisfied(tx, current.id, r.code)));
    await auditCitizen(tx, {
      action: 'citizen.rate', target: `event:${r.eventId}`, ip,
      detail: { code: r.code, kind: r.kind, eventId: r.eventId, rating: input.rating, ratesEvent, deviceId: input.deviceId, by: byDevice ? 'device' : 'pin' },
    });
    await enqueue(tx, 'notice', notices.map((n) => n.id));
    const after = await requestByCode(tx, code);
    return trackingOf(app, after!, tx);
  });
}

/** Equal, compared in constant time (digests of equal length, so the length leaks nothing either). */
function sameSecret(given: string | null | undefined, kept: string | null | undefined): boolean {
  if (!given || !kept) return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(kept));
}

async function noticeDissatisfied(tx: Tx, eventId: number, code: string): Promise<NoticeV1[]> {
  const { rows } = await tx.query<NoticeV1>(
    `INSERT INTO notifications (account_id, kind, event_id, title, body)
     SELECT a.id, 'citizen_dissatisfied', e.id, '群众不满意：' || e.title, '诉求 ' || $2 || '（事件 #' || e.id || '）的评价为不满意，请回访'
       FROM events e JOIN accounts a ON a.station_id = e.station_id AND NOT a.disabled AND a.role = 'deputy_chief'
      WHERE e.id = $1
     -- One notice per leader, kind and event (migration 006's unique key): a later one raises it again, unread, with
     -- the latest words, rather than being dropped (review L5: a second resident's 不满意 / a later complaint reached no one).
     ON CONFLICT (account_id, kind, event_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, created_at = now(), read_at = NULL
     RETURNING id, account_id AS "accountId", kind, event_id AS "eventId", title, body, ${isoSql('created_at')} AS "createdAt"`,
    [eventId, code],
  );
  return rows;
}
