import { describe, expect, it } from 'vitest';
import type { WarningV1 } from '@/lib/contracts/warnings';
import { WarningBook, byUrgency, readWarningList } from './warnings';

const w = (id: number, over: Partial<WarningV1> = {}): WarningV1 => ({
  v: 1, id, kind: 'surge', level: 'yellow', hotspotClass: null, title: `预警${id}`, explanation: '近7天 12 起，基线 3.1 起/周，显著性 p<0.01',
  numbers: { count: 12 }, stationId: 1, gridCode: 'g1', category: 'policy', lon: 120.4, lat: 30.8, eventIds: [1, 2], state: 'open',
  raisedAt: '2026-12-01T02:00:00.000Z', updatedAt: '2026-12-01T02:00:00.000Z', acknowledgedBy: null, acknowledgedAt: null, convertedTo: null, version: 1,
  ...over,
});

describe('WarningBook (issue 13: the latest version of each warning)', () => {
  it('keeps the newer version whichever arrives first', () => {
    const book = new WarningBook();
    expect(book.upsert(w(1, { version: 2, state: 'acknowledged' }))).toBe(true);
    expect(book.upsert(w(1, { version: 1, state: 'open' }))).toBe(false);
    expect(book.get(1)?.state).toBe('acknowledged');
    expect(book.upsert(w(1, { version: 3, state: 'converted', convertedTo: { kind: 'consultation', id: 9 } }))).toBe(true);
    expect(book.list()).toHaveLength(1);
    expect(book.get(1)?.convertedTo).toEqual({ kind: 'consultation', id: 9 });
  });

  it('a list replaces the book, but not with versions older than a push it crossed', () => {
    const book = new WarningBook();
    book.upsert(w(1, { version: 4, state: 'acknowledged' }));
    book.upsert(w(2));
    book.replace([w(1, { version: 3 }), w(3)]);
    expect(book.get(1)?.version).toBe(4);
    // Not listed any more: cleared while the screen was away.
    expect(book.get(2)).toBeNull();
    expect(book.list().map((x) => x.id).sort()).toEqual([1, 3]);
  });

  it('lists the most urgent first, cleared ones last', () => {
    const list = [w(1, { level: 'blue' }), w(2, { level: 'red', state: 'cleared' }), w(3, { level: 'red' }), w(4, { level: 'orange', raisedAt: '2026-12-02T00:00:00.000Z' }), w(5, { level: 'orange' })];
    expect([...list].sort(byUrgency).map((x) => x.id)).toEqual([3, 4, 5, 1, 2]);
  });
});

describe('readWarningList', () => {
  it('reads the wrapped and the bare list, and drops only the malformed items', () => {
    expect(readWarningList({ warnings: [w(1), { id: 2 }] })).toEqual({ warnings: [w(1)], rejected: 1 });
    expect(readWarningList([w(1)])).toEqual({ warnings: [w(1)], rejected: 0 });
    expect(readWarningList({ nope: 1 }).rejected).toBe(-1);
  });
});
