import { describe, expect, it } from 'vitest';
import { CitizenSubmissionV1, DeviceId } from '@/lib/contracts/citizen';
import { deviceId, forget, keyFor, mine, remember, settle } from './store';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
  setItem(k: string, v: string) {
    this.items.set(k, String(v));
  }
}

const body = { v: 1, kind: 'question', description: '低保怎么申请？', villageCode: '330101001001' };

describe('the phone keeps one idempotency key per request until it is acknowledged (issue 14)', () => {
  it('gives a device id the contract accepts, and the same one on the next visit', () => {
    const s = new MemoryStorage();
    const id = deviceId(s);
    expect(DeviceId.safeParse(id).success).toBe(true);
    expect(deviceId(s)).toBe(id);
  });

  it('a retry of the same body carries the same key; an edited body a new one; after the receipt the next request is new', () => {
    const s = new MemoryStorage();
    const first = keyFor(s, 'question', body);
    expect(keyFor(s, 'question', { ...body })).toBe(first);
    // The contract takes the key (8–128 printable ASCII).
    expect(CitizenSubmissionV1.safeParse({ ...body, deviceId: deviceId(s), idempotencyKey: first }).success).toBe(true);
    const edited = keyFor(s, 'question', { ...body, description: '低保和特困怎么申请？' });
    expect(edited).not.toBe(first);
    // Another form's pending key is its own.
    const report = keyFor(s, 'report', body);
    expect(report).not.toBe(edited);
    settle(s, 'question');
    expect(keyFor(s, 'question', { ...body, description: '低保和特困怎么申请？' })).not.toBe(edited);
    expect(keyFor(s, 'report', body)).toBe(report);
  });

  it('survives a reload: the key is in storage, not in memory', () => {
    const s = new MemoryStorage();
    const key = keyFor(s, 'report', body);
    const copy = new MemoryStorage();
    for (let i = 0; i < s.length; i++) copy.setItem(s.key(i)!, s.getItem(s.key(i)!)!);
    expect(keyFor(copy, 'report', body)).toBe(key);
  });

  it('remembers each code once, newest first, and forgets on request', () => {
    const s = new MemoryStorage();
    const e = (code: string) => ({ code, pin: '123456', kindLabel: '问题上报', summary: '路灯不亮', at: '2026-12-06T01:00:00Z' });
    remember(s, e('AAAAAAAAAA'));
    remember(s, e('BBBBBBBBBB'));
    remember(s, e('AAAAAAAAAA'));
    expect(mine(s).map((x) => x.code)).toEqual(['AAAAAAAAAA', 'BBBBBBBBBB']);
    forget(s, 'AAAAAAAAAA');
    expect(mine(s).map((x) => x.code)).toEqual(['BBBBBBBBBB']);
    s.setItem('liandong.m.mine.v1', '{broken');
    expect(mine(s)).toEqual([]);
  });
});
