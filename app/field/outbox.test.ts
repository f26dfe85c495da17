import { describe, expect, it } from 'vitest';
import {
  BACKOFF, backoffMs, bodyOf, classify, deferDue, discard, dueItems, enqueue, nextWakeMs, pendingCount, retryAll, retryOne, settle,
  withPhotoId, type OutboxItem, type OutboxPayload,
} from './outbox';
import { StoredOutboxItem } from './schemas';
import { urlOf } from './send';

const report = (key: string, photos: OutboxPayload['photos'] = []): OutboxPayload => ({
  kind: 'report',
  body: { v: 1, idempotencyKey: key, category: 'hazard', title: '消防通道被占' },
  photos,
  summary: `上报 · ${key}`,
});
const action = (eventId: number, act: string, photos: OutboxPayload['photos'] = []): OutboxPayload => ({
  kind: 'action',
  eventId,
  body: { action: act, requestKey: `req-${act}-${eventId}` },
  photos,
  summary: act,
});
const half = () => 0; // lower edge of the jitter
const full = () => 1; // upper edge

describe('classify', () => {
  it('retries what waiting can fix and refuses what it cannot', () => {
    expect(classify(null)).toBe('retry');
    for (const s of [200, 201]) expect(classify(s)).toBe('ok');
    for (const s of [500, 502, 503, 504, 401, 408, 429]) expect(classify(s)).toBe('retry');
    for (const s of [400, 403, 404, 409, 413, 415, 422]) expect(classify(s)).toBe('fail');
  });
});

describe('backoffMs', () => {
  it('doubles from the first wait, jittered within the upper half', () => {
    expect(backoffMs(1, full)).toBe(BACKOFF.firstMs);
    expect(backoffMs(1, half)).toBe(BACKOFF.firstMs / 2);
    expect(backoffMs(2, full)).toBe(BACKOFF.firstMs * 2);
    expect(backoffMs(4, full)).toBe(BACKOFF.firstMs * 8);
  });

  it('never waits longer than the cap, however many attempts', () => {
    expect(backoffMs(30, full)).toBe(BACKOFF.maxMs);
    expect(backoffMs(1000, full)).toBe(BACKOFF.maxMs);
    expect(backoffMs(1000, half)).toBe(BACKOFF.maxMs / 2);
  });

  it('treats a nonsense attempt number as the first', () => {
    expect(backoffMs(0, full)).toBe(BACKOFF.firstMs);
    expect(backoffMs(-3, full)).toBe(BACKOFF.firstMs);
  });
});

describe('the queue', () => {
  const t0 = 1_000_000;

  it('sends items oldest first and only once they are due', () => {
    let q = enqueue([], report('b'), 'b', t0 + 10);
    q = enqueue(q, report('a'), 'a', t0);
    expect(dueItems(q, t0 + 10).map((i) => i.id)).toEqual(['a', 'b']);
    expect(dueItems(q, t0 + 5).map((i) => i.id)).toEqual(['a']);
  });

  it('drops a delivered item', () => {
    const q = settle(enqueue([], report('a'), 'a', t0), 'a', { kind: 'ok', status: 201, body: { id: 7 } }, t0);
    expect(q).toEqual([]);
  });

  it('keeps a failed attempt with its key and backs off further each time', () => {
    let q = enqueue([], report('a'), 'a', t0);
    q = settle(q, 'a', { kind: 'retry', status: null, message: '网络不可用' }, t0, full);
    expect(q[0]).toMatchObject({ attempts: 1, nextAt: t0 + 2_000, lastError: '网络不可用', failed: null });
    expect(q[0].payload.body.idempotencyKey).toBe('a');
    q = settle(q, 'a', { kind: 'retry', status: 503, message: '服务器暂时不可用' }, t0 + 2_000, full);
    expect(q[0]).toMatchObject({ attempts: 2, nextAt: t0 + 2_000 + 4_000 });
    expect(dueItems(q, t0 + 5_999)).toEqual([]);
    expect(nextWakeMs(q, t0 + 2_000)).toBe(4_000);
    expect(pendingCount(q)).toBe(1);
  });

  it('holds a refused item for the user instead of retrying it', () => {
    let q = enqueue([], action(5, 'handle'), 'x', t0);
    q = settle(q, 'x', { kind: 'fail', status: 409, message: '他人正在处理此事件', issues: [] }, t0);
    expect(q[0].failed).toEqual({ message: '他人正在处理此事件', status: 409 });
    expect(dueItems(q, t0 + 10 ** 9)).toEqual([]);
    expect(nextWakeMs(q, t0)).toBeNull();
    expect(pendingCount(q)).toBe(0);
    q = retryOne(q, 'x', t0 + 50);
    expect(q[0]).toMatchObject({ failed: null, nextAt: t0 + 50 });
    expect(discard(q, 'x')).toEqual([]);
  });

  it('makes everything waiting due at once when the network comes back', () => {
    let q = enqueue([], report('a'), 'a', t0);
    q = enqueue(q, report('b'), 'b', t0);
    q = settle(q, 'a', { kind: 'retry', status: null, message: '' }, t0, full);
    q = settle(q, 'b', { kind: 'fail', status: 422, message: '', issues: [] }, t0);
    const back = retryAll(q, t0 + 100);
    expect(back.find((i) => i.id === 'a')!.nextAt).toBe(t0 + 100);
    expect(back.find((i) => i.id === 'b')!.failed).not.toBeNull();
  });

  it('without network, lets the items behind a failed one wait as long, uncounted', () => {
    let q = enqueue([], report('a'), 'a', t0);
    q = enqueue(q, report('b'), 'b', t0 + 1);
    q = settle(q, 'a', { kind: 'retry', status: null, message: '' }, t0 + 2, full);
    q = deferDue(q, q[0].nextAt, t0 + 2);
    expect(q[1]).toMatchObject({ attempts: 0, nextAt: q[0].nextAt });
    expect(dueItems(q, t0 + 3)).toEqual([]);
  });

  it('remembers an uploaded photo so a retry does not upload it again', () => {
    let q = enqueue([], report('a', [{ local: 'p1', id: null }, { local: 'p2', id: null }]), 'a', t0);
    q = withPhotoId(q, 'a', 'p1', 'f'.repeat(64));
    expect(q[0].payload.photos).toEqual([{ local: 'p1', id: 'f'.repeat(64) }, { local: 'p2', id: null }]);
  });
});

describe('bodyOf', () => {
  it('puts the uploaded photo ids into a report', () => {
    const body = bodyOf(report('k', [{ local: 'p', id: 'a'.repeat(64) }]));
    expect(body).toMatchObject({ idempotencyKey: 'k', photos: ['a'.repeat(64)] });
  });

  it('sends a step without photos as it is (start takes none)', () => {
    const item: OutboxItem = enqueue([], action(3, 'start'), 's', 0)[0];
    expect(bodyOf(item.payload)).toEqual({ action: 'start', requestKey: 'req-start-3' });
  });
});

describe('dispatch steps and invitation answers in the outbox (issue 5)', () => {
  const step: OutboxPayload = { kind: 'command', url: '/api/v1/dispatches/12/steps', body: { step: 'depart', requestKey: 'req-depart-12' }, photos: [], summary: '出发' };

  it('posts to the command route with its request key as made, and survives the phone’s storage', () => {
    const item = enqueue([], step, 'c', 0)[0];
    expect(urlOf(item)).toBe('/api/v1/dispatches/12/steps');
    expect(bodyOf(item.payload)).toEqual({ step: 'depart', requestKey: 'req-depart-12' });
    expect(StoredOutboxItem.safeParse(JSON.parse(JSON.stringify(item))).success).toBe(true);
  });

  it('drops a stored item that would post anywhere but our command routes', () => {
    const item = enqueue([], { ...step, url: '//elsewhere.example/steal' }, 'c', 0)[0];
    expect(StoredOutboxItem.safeParse(JSON.parse(JSON.stringify(item))).success).toBe(false);
    const other = enqueue([], { ...step, url: '/api/v1/admin/categories' }, 'c', 0)[0];
    expect(StoredOutboxItem.safeParse(JSON.parse(JSON.stringify(other))).success).toBe(false);
  });
});
