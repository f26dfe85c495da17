import { describe, expect, it } from 'vitest';
import type { LiveIncident } from '@/app/live/incidents';
import { countdown, countsOf, DEFAULT_FILTER, formatSpan, isCitizen, KIND_BADGE, overdueLevel, placeOf, queueOf, visibleRange, type PlaceNames } from './queue';

const NOW = Date.parse('2026-11-27T08:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

function incident(id: number, over: Partial<LiveIncident> = {}): LiveIncident {
  const reportedAt = over.reportedAt ?? new Date(NOW - id * MIN).toISOString();
  const deadlineAt = over.deadlineAt === undefined ? new Date(NOW + id * HOUR).toISOString() : over.deadlineAt;
  return {
    v: 1, seq: id, id, category: 'dispute', categoryLabel: '矛盾纠纷', title: `事件${id}`, severity: 'normal',
    state: 'assigned', lon: 120.3, lat: 30.8, gridCode: '33050310122203', stationId: 1,
    redAt: null, card: 'none', department: 'justice', villageCode: '330503101222', duplicateOf: null, lockedBy: null, source: 'simulator', taskDepartments: [], kind: 'problem', aboutEventId: null, supervisionReopened: false,
    ...over,
    reportedAt,
    deadlineAt,
    reportedMs: Date.parse(reportedAt),
    deadlineMs: deadlineAt === null ? null : Date.parse(deadlineAt),
    redMs: over.redAt ? Date.parse(over.redAt) : null,
  };
}

const names: PlaceNames = {
  village: new Map([['330503101222', '雉头村']]),
  grid: new Map([['33050310122203', '雉头村第三网格']]),
};

const ids = (rows: readonly LiveIncident[]) => rows.map((i) => i.id);

describe('overdue (S13)', () => {
  it('a yellow or red card, or a passed deadline, on a running clock', () => {
    expect(overdueLevel(incident(1), NOW)).toBe('none');
    expect(overdueLevel(incident(1, { card: 'yellow' }), NOW)).toBe('yellow');
    expect(overdueLevel(incident(1, { card: 'red' }), NOW)).toBe('red');
    // Supervision runs every 15 s; the row turns when the limit passes, not when the card comes.
    expect(overdueLevel(incident(1, { deadlineAt: new Date(NOW - MIN).toISOString() }), NOW)).toBe('yellow');
    expect(overdueLevel(incident(1, { deadlineAt: new Date(NOW - 2 * HOUR).toISOString(), redAt: new Date(NOW - HOUR).toISOString() }), NOW)).toBe('red');
    expect(overdueLevel(incident(1, { deadlineAt: new Date(NOW).toISOString() }), NOW)).toBe('yellow');
  });

  it('nothing is overdue once nothing more is owed: closed, merged, returned, rated', () => {
    for (const state of ['closed', 'merged', 'returned', 'rated'])
      expect(overdueLevel(incident(1, { state, card: 'red', deadlineAt: new Date(NOW - HOUR).toISOString() }), NOW), state).toBe('none');
    // Handling stops the clock: the server clears the deadline and the card with the feedback.
    expect(overdueLevel(incident(1, { state: 'handled', deadlineAt: null }), NOW)).toBe('none');
  });
});

describe('countdown', () => {
  it('reads the two largest units, to the minute', () => {
    expect(formatSpan(0)).toBe('0分');
    expect(formatSpan(59 * MIN + 59_000)).toBe('59分');
    expect(formatSpan(HOUR)).toBe('1小时');
    expect(formatSpan(2 * HOUR + 5 * MIN)).toBe('2小时5分');
    expect(formatSpan(3 * 24 * HOUR + 4 * HOUR + 30 * MIN)).toBe('3天4小时');
    expect(formatSpan(2 * 24 * HOUR + 10 * MIN)).toBe('2天');
  });

  it('left, nearly out, just passed and long past', () => {
    expect(countdown(null, NOW)).toBeNull();
    expect(countdown(NOW + 90 * MIN, NOW)).toEqual({ text: '剩1小时30分', overdue: false });
    expect(countdown(NOW + 30_000, NOW)).toEqual({ text: '剩不到1分', overdue: false });
    expect(countdown(NOW, NOW)).toEqual({ text: '刚超时', overdue: true });
    expect(countdown(NOW - 30_000, NOW)).toEqual({ text: '刚超时', overdue: true });
    expect(countdown(NOW - 26 * HOUR, NOW)).toEqual({ text: '超时1天2小时', overdue: true });
  });

  it('changes only when a minute passes', () => {
    const deadline = NOW + 10 * MIN;
    expect(countdown(deadline, NOW + 1000)?.text).toBe('剩9分');
    expect(countdown(deadline, NOW + 59_000)?.text).toBe('剩9分');
    expect(countdown(deadline, NOW + 60_000)?.text).toBe('剩9分');
    expect(countdown(deadline, NOW + 60_001)?.text).toBe('剩8分');
  });
});

describe('queue filter and sort', () => {
  const list = [
    incident(1),
    incident(2, { card: 'yellow', deadlineAt: new Date(NOW - 5 * HOUR).toISOString() }),
    incident(3, { card: 'red', deadlineAt: new Date(NOW - 30 * HOUR).toISOString(), redAt: new Date(NOW - 6 * HOUR).toISOString() }),
    incident(4, { state: 'closed', deadlineAt: null }),
    incident(5, { state: 'handled', deadlineAt: null }),
    incident(6, { stationId: 2, category: 'hazard', categoryLabel: '安全隐患', title: '燃气泄漏' }),
    incident(7, { stationId: null, lockedBy: '张三' }),
    incident(8, { deadlineAt: new Date(NOW - MIN).toISOString() }),
  ];

  it('by deadline: red, yellow, then soonest first; no deadline last', () => {
    expect(ids(queueOf(list, DEFAULT_FILTER, NOW, names))).toEqual([3, 2, 8, 1, 6, 7, 5]);
  });

  it('by report time: newest first', () => {
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, sort: 'reported' }, NOW, names))).toEqual([1, 2, 3, 5, 6, 7, 8]);
  });

  it('open hides what needs nothing more; all shows it; one state shows that state', () => {
    expect(ids(queueOf(list, DEFAULT_FILTER, NOW, names))).not.toContain(4);
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, state: 'all' }, NOW, names))).toContain(4);
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, state: 'handled' }, NOW, names))).toEqual([5]);
  });

  it('a station keeps its own events and those placed in no station', () => {
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, stationId: 1 }, NOW, names)).sort()).toEqual([1, 2, 3, 5, 7, 8]);
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, stationId: 2 }, NOW, names)).sort()).toEqual([6, 7]);
  });

  it('category, overdue and text', () => {
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, category: 'hazard' }, NOW, names))).toEqual([6]);
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, overdueOnly: true }, NOW, names))).toEqual([3, 2, 8]);
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, text: '燃气' }, NOW, names))).toEqual([6]);
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, text: '#7' }, NOW, names))).toEqual([7]);
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, text: '张三' }, NOW, names))).toEqual([7]);
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, text: '  雉头村  ' }, NOW, names))).toHaveLength(7);
    expect(queueOf(list, { ...DEFAULT_FILTER, text: '不存在' }, NOW, names)).toEqual([]);
  });

  it('counts red and yellow among the rows', () => {
    expect(countsOf(queueOf(list, DEFAULT_FILTER, NOW, names), NOW)).toEqual({ total: 7, red: 1, yellow: 2 });
  });

  it('does not reorder the store list it was given', () => {
    const before = ids(list);
    queueOf(list, DEFAULT_FILTER, NOW, names);
    expect(ids(list)).toEqual(before);
  });

  it('5,000 incidents filter and sort in well under a frame budget', () => {
    const many = Array.from({ length: 5000 }, (_, k) =>
      incident(k + 1, { card: k % 17 === 0 ? 'yellow' : 'none', state: k % 5 === 0 ? 'closed' : 'in_progress' }));
    const t0 = performance.now();
    const rows = queueOf(many, { ...DEFAULT_FILTER, text: '事件1' }, NOW, names);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('place and list window', () => {
  it('names the grid, prefixed by its village unless the grid name already says it', () => {
    expect(placeOf({ villageCode: '330503101222', gridCode: '33050310122203' }, names)).toBe('雉头村第三网格');
    expect(placeOf({ villageCode: '330503101222', gridCode: null }, names)).toBe('雉头村');
    expect(placeOf({ villageCode: null, gridCode: null }, names)).toBe('未定位到网格');
    const other = { village: names.village, grid: new Map([['g', '第一网格']]) };
    expect(placeOf({ villageCode: '330503101222', gridCode: 'g' }, other)).toBe('雉头村 · 第一网格');
  });

  it('renders only the rows in view, plus overscan, within the list', () => {
    expect(visibleRange(0, 640, 64, 5000, 6)).toEqual([0, 16]);
    expect(visibleRange(64 * 100, 640, 64, 5000, 6)).toEqual([94, 116]);
    expect(visibleRange(64 * 4995, 640, 64, 5000, 6)).toEqual([4989, 5000]);
    expect(visibleRange(0, 640, 64, 3, 6)).toEqual([0, 3]);
    expect(visibleRange(0, 640, 64, 0, 6)).toEqual([0, 0]);
  });
});

describe("residents' requests (issue 14)", () => {
  it('群众诉求 keeps what came from /m or an Open311 client, whatever its kind', () => {
    const list = [
      incident(1, { source: 'citizen', kind: 'question' }),
      incident(2, { source: 'open311' }),
      incident(3, { source: 'field' }),
      incident(4, { source: 'hotline_12345', kind: 'complaint' }),
    ];
    expect(ids(queueOf(list, { ...DEFAULT_FILTER, citizenOnly: true }, NOW, names))).toEqual([1, 2]);
    expect(queueOf(list, DEFAULT_FILTER, NOW, names)).toHaveLength(4);
    expect(isCitizen(list[0])).toBe(true);
    expect(isCitizen(list[3])).toBe(false);
  });

  it('a kind other than a problem gets a badge', () => {
    expect(KIND_BADGE.question).toBe('咨询');
    expect(KIND_BADGE.complaint).toBe('投诉');
    expect(KIND_BADGE.problem).toBeUndefined();
  });
});
