import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxItem, OutboxPayload, Outcome } from './outbox';
import { Outbox, type Sender } from './outboxRunner';

/*
 * The runner around the pure queue, in Node with just enough of a browser: a storage, the
 * window's events, a clock. What matters on a phone: a report made without signal survives, goes
 * when the network returns, with the same key, and is not sent twice.
 */

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

const KEY = 'liandong.field.outbox.v1:test';
let storage: MemoryStorage;
let win: EventTarget & { isSecureContext: boolean };

beforeEach(() => {
  vi.useFakeTimers();
  storage = new MemoryStorage();
  win = Object.assign(new EventTarget(), { isSecureContext: true });
  vi.stubGlobal('localStorage', storage);
  vi.stubGlobal('window', win);
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const report = (key: string, photos: OutboxPayload['photos'] = []): OutboxPayload => ({
  kind: 'report',
  body: { v: 1, idempotencyKey: key, category: 'hazard', title: '消防通道被占' },
  photos,
  summary: `上报 · ${key}`,
});
const offline: Outcome = { kind: 'retry', status: null, message: '网络不可用' };
const created: Outcome = { kind: 'ok', status: 201, body: { id: 42 } };

/** A sender that answers from a script and records what it was asked to send. */
function scripted(...answers: Outcome[]) {
  const sent: OutboxItem[] = [];
  const send: Sender = async (item) => {
    sent.push(item);
    return answers.shift() ?? created;
  };
  return { sent, send };
}

describe('Outbox', () => {
  it('keeps a report made offline, sends it with the same key when the network returns, and says so', async () => {
    const { sent, send } = scripted(offline, created);
    const box = new Outbox(KEY, send);
    box.start();
    const delivered: boolean[] = [];
    box.onDelivered((_item, _out, first) => delivered.push(first));

    const { outcome } = await box.submit(report('key-aaaaaaaa'));
    expect(outcome.kind).toBe('retry');
    expect(box.getView().pending).toBe(1);
    expect(JSON.parse(storage.getItem(KEY)!)).toHaveLength(1);

    win.dispatchEvent(new Event('online'));
    await vi.runOnlyPendingTimersAsync();
    expect(sent.map((i) => i.payload.body.idempotencyKey)).toEqual(['key-aaaaaaaa', 'key-aaaaaaaa']);
    expect(box.getView().pending).toBe(0);
    expect(storage.getItem(KEY)).toBeNull();
    expect(delivered).toEqual([false]);
    box.stop();
  });

  it('retries on its own with backoff, without waiting for an online event', async () => {
    const { sent, send } = scripted(offline, { kind: 'retry', status: 503, message: '服务器暂时不可用' }, created);
    const box = new Outbox(KEY, send);
    box.start();
    await box.submit(report('key-bbbbbbbb'));
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent).toHaveLength(2);
    expect(box.getView().items[0].lastError).toBe('服务器暂时不可用');
    await vi.advanceTimersByTimeAsync(4_000);
    expect(sent).toHaveLength(3);
    expect(box.getView().pending).toBe(0);
    box.stop();
  });

  it('does not try the rest of the queue once the network is found down', async () => {
    const queued = [report('key-cccccccc'), report('key-dddddddd')].map((payload, i) => ({
      id: `i${i}`, createdAt: i, attempts: 0, nextAt: 0, lastError: null, failed: null, payload,
    }));
    storage.setItem(KEY, JSON.stringify(queued));
    const { sent, send } = scripted(offline, offline, offline);
    const box = new Outbox(KEY, send);
    box.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.map((i) => i.id)).toEqual(['i0']);
    // Both wait as long as the first; neither counts an attempt it did not make.
    expect(box.getView().items.map((i) => i.attempts)).toEqual([1, 0]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent.map((i) => i.id)).toEqual(['i0', 'i0']);
    box.stop();
  });

  it('holds what the server refused, and lets the open form drop it', async () => {
    const refused: Outcome = { kind: 'fail', status: 422, message: '位置不在本区任何网格内', issues: [] };
    const { send } = scripted(refused);
    const box = new Outbox(KEY, send);
    box.start();
    const { id, outcome } = await box.submit(report('key-eeeeeeee'));
    expect(outcome).toEqual(refused);
    expect(box.getView()).toMatchObject({ pending: 0, items: [{ id, failed: { status: 422 } }] });
    box.drop(id);
    expect(box.getView().items).toEqual([]);
    box.stop();
  });

  it('picks up what an earlier page left, skipping anything corrupt', async () => {
    const { sent, send } = scripted(offline);
    const first = new Outbox(KEY, send);
    first.start();
    await first.submit(report('key-ffffffff'));
    first.stop();
    storage.setItem(KEY, JSON.stringify([...JSON.parse(storage.getItem(KEY)!), { id: 'junk' }]));

    const again = new Outbox(KEY, send);
    again.start();
    await vi.runOnlyPendingTimersAsync();
    expect(sent.map((i) => i.payload.body.idempotencyKey)).toEqual(['key-ffffffff', 'key-ffffffff']);
    expect(again.getView().items).toEqual([]);
    again.stop();
  });

  it('remembers an uploaded photo between attempts', async () => {
    const photoId = 'a'.repeat(64);
    const seen: (string | null)[][] = [];
    let calls = 0;
    const send: Sender = async (item, notePhoto) => {
      seen.push(item.payload.photos.map((p) => p.id));
      if (!item.payload.photos[0].id) notePhoto('p1', photoId);
      return ++calls === 1 ? offline : created;
    };
    const box = new Outbox(KEY, send);
    box.start();
    await box.submit(report('key-gggggggg', [{ local: 'p1', id: null }]));
    expect(JSON.parse(storage.getItem(KEY)!)[0].payload.photos).toEqual([{ local: 'p1', id: photoId }]);
    win.dispatchEvent(new Event('online'));
    await vi.runOnlyPendingTimersAsync();
    expect(seen).toEqual([[null], [photoId]]);
    box.stop();
  });
});

describe('Outbox, when sending throws', () => {
  it('counts it as a failed try and backs off instead of spinning', async () => {
    let calls = 0;
    const box = new Outbox(KEY, async () => {
      calls += 1;
      throw new Error('IndexedDB went away');
    });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    box.start();
    const { outcome } = await box.submit(report('key-hhhhhhhh'));
    expect(outcome.kind).toBe('retry');
    await vi.advanceTimersByTimeAsync(900);
    expect(calls).toBe(1);
    expect(box.getView().items[0].attempts).toBe(1);
    box.stop();
  });
});
