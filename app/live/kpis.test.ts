import { describe, expect, it } from 'vitest';
import type { IncidentV1 } from '@/lib/contracts/live';
import { IncidentBook } from './incidents';
import { incidentStats } from './kpis';

// 10:00 in Shanghai; midnight there was 16:00 UTC the day before.
const NOW = Date.parse('2026-12-06T02:00:00Z');
const incident = (id: number, over: Partial<IncidentV1> = {}): IncidentV1 => ({
  v: 1, seq: id, id, category: 'policy', categoryLabel: '政策咨询', title: `诉求${id}`, severity: 'normal', state: 'reported',
  lon: 120.4, lat: 30.8, gridCode: null, stationId: 1, reportedAt: '2026-12-06T01:00:00.000Z', deadlineAt: null, redAt: null,
  card: 'none', department: null, villageCode: null, duplicateOf: null, lockedBy: null, source: 'citizen', taskDepartments: [],
  kind: 'question', aboutEventId: null, supervisionReopened: false, ...over,
});

function stats(list: IncidentV1[]) {
  const book = new IncidentBook();
  book.replace(list, 1);
  return incidentStats(book.list(), NOW);
}

describe("the wall's 群众诉求 today (issue 14 point 3)", () => {
  it("counts today's requests from /m and Open311, and those answered or closed", () => {
    const s = stats([
      incident(1),
      incident(2, { state: 'closed' }),
      incident(3, { state: 'rated', source: 'open311', kind: 'problem' }),
      incident(4, { state: 'returned' }),
      // Yesterday's (15:59 UTC is 23:59 in Shanghai) and staff reports do not count.
      incident(5, { reportedAt: '2026-12-05T15:59:00.000Z', state: 'closed' }),
      incident(6, { source: 'field', kind: 'problem', state: 'closed' }),
    ]);
    expect(s.citizenToday).toBe(4);
    expect(s.citizenDoneToday).toBe(2);
    expect(s.today).toBe(5);
  });

  it('is zero with no residents', () => {
    expect(stats([incident(1, { source: 'simulator', kind: 'problem' })])).toMatchObject({ citizenToday: 0, citizenDoneToday: 0 });
  });
});
