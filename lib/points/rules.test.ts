import { describe, expect, it } from 'vitest';
import {
  citizenHolder, entriesOwed, inspectionEntries, isRepeat, isValidReport, personHolder, reporterWho,
  type PaidEntry, type PointsRule, type ReportFacts,
} from './rules';

/* Issue 15 point 5 (S14): the rewards rules as a pure function, without a database. */

const RULES = new Map<string, PointsRule>([
  ['report_gridder', { code: 'report_gridder', label: '网格员有效上报', points: 2, who: 'gridder', active: true }],
  ['report_volunteer', { code: 'report_volunteer', label: '志愿者有效上报', points: 3, who: 'volunteer', active: true }],
  ['report_citizen', { code: 'report_citizen', label: '群众有效举报', points: 5, who: 'citizen', active: true }],
  ['handled_on_time', { code: 'handled_on_time', label: '按时处置反馈', points: 2, who: 'staff', active: true }],
  ['inspection', { code: 'inspection', label: '参加联合巡查', points: 1, who: 'staff', active: true }],
]);

const T0 = new Date('2026-11-02T02:00:00Z');
const h = (hours: number) => new Date(T0.getTime() + hours * 3600_000);
const GRIDDER = personHolder(11);
const VOLUNTEER = personHolder(12);
const HANDLER = personHolder(20);

function report(id: number, over: Partial<ReportFacts> = {}): ReportFacts {
  return {
    eventId: id, stationId: 1, kind: 'problem', state: 'closed', closedAt: h(30), reportedAt: h(0), category: 'environment', place: 'G1',
    reporter: { holder: GRIDDER, who: 'gridder' }, handledAt: h(20), handleDueAt: h(48), handler: HANDLER, falseReport: null, ...over,
  };
}
const summary = (es: ReturnType<typeof entriesOwed>) => es.map((e) => `${e.holder.key} ${e.ruleCode} ${e.points} ${e.ref} ${e.eventId}`);
const paidOf = (es: ReturnType<typeof entriesOwed>): PaidEntry[] => es.map((e) => ({ holder: e.holder.key, ruleCode: e.ruleCode, points: e.points, ref: e.ref, eventId: e.eventId }));

describe('who earns for a report (S14)', () => {
  it('grid staff are gridders, volunteers and 网格信息员 volunteers, residents citizens; leaders and departments earn no report points', () => {
    expect(reporterWho('gridder_full')).toBe('gridder');
    expect(reporterWho('grid_police')).toBe('gridder');
    expect(reporterWho('grid_info')).toBe('volunteer');
    expect(reporterWho('volunteer')).toBe('volunteer');
    expect(reporterWho('citizen')).toBe('citizen');
    expect(reporterWho('station_chief')).toBeNull();
    expect(reporterWho('dept_staff')).toBeNull();
  });

  it('a resident is known by the digits of their phone, or by the request when they left none', () => {
    expect(citizenHolder(7, '138-0000-1111').key).toBe('c:13800001111');
    expect(citizenHolder(7, null).key).toBe('r:7');
  });

  it('valid is verified and closed: a closed or rated problem with closed_at', () => {
    expect(isValidReport(report(1))).toBe(true);
    expect(isValidReport(report(1, { state: 'rated' }))).toBe(true);
    expect(isValidReport(report(1, { state: 'handled', closedAt: null }))).toBe(false);
    expect(isValidReport(report(1, { state: 'returned', closedAt: null }))).toBe(false);
    expect(isValidReport(report(1, { state: 'merged', closedAt: null }))).toBe(false);
    expect(isValidReport(report(1, { kind: 'question' }))).toBe(false);
  });
});

describe('entries owed for a reported thing', () => {
  it('a valid report pays its reporter and, handled within the limit, its handler', () => {
    expect(summary(entriesOwed(1, [report(1)], [], RULES))).toEqual([
      'p:11 report_gridder 2 thing:1 1',
      'p:20 handled_on_time 2 handled:1 1',
    ]);
  });

  it('a report still open, returned or merged earns nothing', () => {
    expect(entriesOwed(1, [report(1, { state: 'in_progress', closedAt: null })], [], RULES)).toEqual([]);
    expect(entriesOwed(1, [report(1, { state: 'returned', closedAt: null, handledAt: null })], [], RULES)).toEqual([]);
  });

  it('handled after the limit: the report pays, the handler does not', () => {
    expect(summary(entriesOwed(1, [report(1, { handledAt: h(49) })], [], RULES))).toEqual(['p:11 report_gridder 2 thing:1 1']);
  });

  it('duplicates earn once: the first valid report of the thing, whoever reported it', () => {
    const root = report(1, { reporter: { holder: VOLUNTEER, who: 'volunteer' }, reportedAt: h(1) });
    const dup = report(2, { reportedAt: h(0), handler: null });
    const merged = report(3, { state: 'merged', closedAt: null, reportedAt: h(-1), reporter: { holder: personHolder(13), who: 'gridder' } });
    // The duplicate (2) was reported first and is valid: it is the one paid; the merged one (3) never is.
    expect(summary(entriesOwed(1, [root, dup, merged], [], RULES))).toEqual([
      'p:11 report_gridder 2 thing:1 2',
      'p:20 handled_on_time 2 handled:1 1',
    ]);
  });

  it('a returned first report gives way to the first valid one', () => {
    const first = report(1, { state: 'returned', closedAt: null, reportedAt: h(0), reporter: { holder: VOLUNTEER, who: 'volunteer' } });
    const second = report(2, { reportedAt: h(2), handler: null });
    expect(summary(entriesOwed(1, [first, second], [], RULES))).toEqual(['p:11 report_gridder 2 thing:1 2']);
  });

  it('once paid, nothing more: settling again owes nothing', () => {
    const first = entriesOwed(1, [report(1)], [], RULES);
    expect(entriesOwed(1, [report(1)], paidOf(first), RULES)).toEqual([]);
  });

  it('the same holder reporting the same thing again, unlinked, within a day earns once', () => {
    const paid = new Map([['p:11', [{ eventId: 9, category: 'environment', place: 'G1', reportedAt: h(-5) }]]]);
    expect(summary(entriesOwed(1, [report(1, { handler: null })], [], RULES, paid))).toEqual([]);
    // Another place, another category, or a day later: another thing.
    expect(isRepeat(report(1, { place: 'G2' }), paid.get('p:11')!)).toBe(false);
    expect(isRepeat(report(1, { category: 'safety' }), paid.get('p:11')!)).toBe(false);
    expect(isRepeat(report(1, { reportedAt: h(20) }), paid.get('p:11')!)).toBe(false);
  });

  it('found false before it was paid: nothing is paid, the handler neither', () => {
    expect(entriesOwed(1, [report(1, { falseReport: { reason: '现场核实无此事' } })], [], RULES)).toEqual([]);
  });

  it('found false after it was paid: the report points are taken back, with the reason, once', () => {
    const paid = paidOf(entriesOwed(1, [report(1)], [], RULES));
    const marked = report(1, { falseReport: { reason: '现场核实无此事' } });
    const back = entriesOwed(1, [marked], paid, RULES);
    expect(summary(back)).toEqual(['p:11 report_gridder -2 thing:1:false 1']);
    expect(back[0].reason).toContain('现场核实无此事');
    expect(entriesOwed(1, [marked], [...paid, ...paidOf(back)], RULES)).toEqual([]);
  });

  it('a resident earns the citizen rule on their phone', () => {
    const r = report(1, { reporter: { holder: citizenHolder(5, '13800001111'), who: 'citizen' }, handler: null });
    const [e] = entriesOwed(1, [r], [], RULES);
    expect(e).toMatchObject({ ruleCode: 'report_citizen', points: 5, holder: { key: 'c:13800001111', citizenRequestId: 5, personId: null } });
  });

  it('an inactive rule pays nothing; the points are whatever the table says', () => {
    const rules = new Map(RULES);
    rules.set('report_gridder', { ...RULES.get('report_gridder')!, active: false });
    rules.set('handled_on_time', { ...RULES.get('handled_on_time')!, points: 4 });
    expect(summary(entriesOwed(1, [report(1)], [], rules))).toEqual(['p:20 handled_on_time 4 handled:1 1']);
  });

  it('an answered question pays its handler on time, and no report points', () => {
    expect(summary(entriesOwed(1, [report(1, { kind: 'question' })], [], RULES))).toEqual(['p:20 handled_on_time 2 handled:1 1']);
  });
});

describe('joint inspections (S10)', () => {
  it('each participant once per inspection; a re-run pays nobody twice', () => {
    const i = { id: 4, stationId: 1, day: '2026-11-03' };
    const first = inspectionEntries(i, [11, 12, 11], [], RULES);
    expect(first.map((e) => `${e.holder.key} ${e.points} ${e.ref}`)).toEqual(['p:11 1 inspection:4', 'p:12 1 inspection:4']);
    expect(inspectionEntries(i, [11, 12, 13], paidOf(first), RULES).map((e) => e.holder.key)).toEqual(['p:13']);
  });
});
