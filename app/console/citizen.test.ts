import { describe, expect, it } from 'vitest';
import type { EventLogStep } from '@/lib/contracts/events';
import { ratingOf } from './citizen';

const step = (over: Partial<EventLogStep>): EventLogStep => ({
  at: '2026-12-06T02:00:00.000Z', action: 'handle', from: 'in_progress', to: 'handled', actorName: null, actorRole: null, note: null, data: null, ...over,
});

describe("a resident's rating in the drawer (S14)", () => {
  it('is absent until the resident rates', () => {
    expect(ratingOf([step({})])).toBeNull();
  });

  it('reads a choice or the 1–5 value, the latest one, with its comment', () => {
    const log = [
      step({ action: 'rate', from: 'closed', to: 'rated', data: { rating: 5 }, at: '2026-12-06T01:00:00.000Z' }),
      step({ action: 'rate', from: 'closed', to: 'rated', data: { rating: 'dissatisfied', comment: '没人来过' } }),
    ];
    expect(ratingOf(log)).toEqual({ choice: 'dissatisfied', label: '不满意', comment: '没人来过', at: '2026-12-06T02:00:00.000Z', dissatisfied: true });
    expect(ratingOf([step({ action: 'rate', data: { rating: 4 }, note: '还行' })])).toMatchObject({ label: '基本满意', comment: '还行', dissatisfied: false });
    expect(ratingOf([step({ action: 'rate', data: { rating: 1 } })])?.dissatisfied).toBe(true);
  });

  it('says 已评价 when the value is not one it knows, rather than guessing', () => {
    expect(ratingOf([step({ action: 'rate', data: null })])).toMatchObject({ choice: null, label: '已评价' });
  });
});
