import { describe, expect, it } from 'vitest';
import type { IncidentV1 } from '@/lib/contracts/live';
import { cardOf, IncidentBook } from './incidents';

const T = Date.parse('2026-11-30T07:00:00Z');
const incident = (over: Partial<IncidentV1> = {}): IncidentV1 => ({
  v: 1, seq: 1, id: 1, category: 'dispute', categoryLabel: '矛盾纠纷', title: '邻里纠纷', severity: 'normal', state: 'reported',
  lon: 120.4, lat: 30.8, gridCode: null, stationId: 1, reportedAt: '2026-11-27T07:00:00.000Z',
  deadlineAt: new Date(T).toISOString(), redAt: new Date(T + 86_400_000).toISOString(),
  card: 'none', department: null, villageCode: null, duplicateOf: null, lockedBy: null, source: 'test', taskDepartments: [], kind: 'problem', aboutEventId: null, supervisionReopened: false, ...over,
});
const live = (over: Partial<IncidentV1> = {}) => {
  const book = new IncidentBook();
  book.replace([incident(over)], 1);
  return book.get(1)!;
};

describe('supervision cards on screen (S13)', () => {
  it('turn yellow at the time limit and red at the red limit, without waiting for the server', () => {
    expect(cardOf(live(), T - 1)).toBe('none');
    expect(cardOf(live(), T)).toBe('yellow');
    expect(cardOf(live(), T + 86_400_000)).toBe('red');
  });

  it('keep the card the server raised, and drop it once nothing is owed', () => {
    expect(cardOf(live({ card: 'red' }), T - 1)).toBe('red');
    expect(cardOf(live({ card: 'red', state: 'closed' }), T + 86_400_000)).toBe('none');
  });
});
