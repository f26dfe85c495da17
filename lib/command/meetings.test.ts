import { describe, expect, it } from 'vitest';
import { NO_HOLIDAYS, type HolidayCalendar } from '../time/workdays';
import { INVITEE_LABEL, meetingsOfMonth, monthBounds, weeksOfMonth, type Invitee } from './meetings';

// Read an instant back as Beijing wall-clock time, as a station official would.
const bj = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

// National Day 2026 (国务院办公厅 schedule): 1–7 Oct off, Sunday 20 Sep and Saturday 10 Oct worked.
// 1 Oct 2026 is a Thursday, so the holiday spans two Monday–Sunday weeks and each keeps working days.
const NATIONAL_DAY_2026: HolidayCalendar = {
  holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']),
  workdays: new Set(['2026-09-20', '2026-10-10']),
};

// Spring Festival 2026: 15 Feb (Sun) – 23 Feb (Mon) off, Saturdays 14 Feb and 28 Feb worked.
// The whole week Mon 16 – Sun 22 Feb has no working day.
const SPRING_FESTIVAL_2026: HolidayCalendar = {
  holidays: new Set(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']),
  workdays: new Set(['2026-02-14', '2026-02-28']),
};

const mondays = (month: string, cal: HolidayCalendar) => weeksOfMonth(month, cal).map((w) => w.monday);

describe('weeks of a month (a week belongs to the month of its first working day)', () => {
  it('December 2026: 1 Dec is a Tuesday, so the week of Mon 30 Nov belongs to November', () => {
    expect(new Date('2026-12-01T00:00:00Z').getUTCDay()).toBe(2); // Tuesday
    const weeks = weeksOfMonth('2026-12', NO_HOLIDAYS);
    expect(weeks.map((w) => w.monday)).toEqual(['2026-12-07', '2026-12-14', '2026-12-21', '2026-12-28']);
    expect(weeks.map((w) => w.firstWorkingDay)).toEqual(['2026-12-07', '2026-12-14', '2026-12-21', '2026-12-28']);
    // The last week runs into January.
    expect(weeks[3].days).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('ends for the last month a 4-digit year can name (it looped forever, issue 11)', () => {
    expect(mondays('9999-12', NO_HOLIDAYS)).toEqual(['9999-12-06', '9999-12-13', '9999-12-20', '9999-12-27']);
  });

  it('November 2026 takes the straddling week of Mon 30 Nov', () => {
    expect(mondays('2026-11', NO_HOLIDAYS)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
  });

  it('a holiday on the Monday moves a straddling week to the next month', () => {
    const cal: HolidayCalendar = { holidays: new Set(['2026-11-30']), workdays: new Set() };
    expect(mondays('2026-11', cal)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    const dec = weeksOfMonth('2026-12', cal);
    expect(dec.map((w) => w.monday)).toEqual(['2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21', '2026-12-28']);
    expect(dec[0].firstWorkingDay).toBe('2026-12-01');
  });

  it('October 2026: the week of Mon 28 Sep stays in September; the week of 5 Oct starts on Thu 8 Oct', () => {
    expect(new Date('2026-10-01T00:00:00Z').getUTCDay()).toBe(4); // Thursday
    const weeks = weeksOfMonth('2026-10', NATIONAL_DAY_2026);
    expect(weeks.map((w) => [w.monday, w.firstWorkingDay])).toEqual([
      ['2026-10-05', '2026-10-08'],
      ['2026-10-12', '2026-10-12'],
      ['2026-10-19', '2026-10-19'],
      ['2026-10-26', '2026-10-26'],
    ]);
    expect(mondays('2026-09', NATIONAL_DAY_2026)).toEqual(['2026-09-07', '2026-09-14', '2026-09-21', '2026-09-28']);
  });

  it('February 2026: the Spring Festival week with no working day belongs to no month', () => {
    expect(mondays('2026-02', SPRING_FESTIVAL_2026)).toEqual(['2026-02-02', '2026-02-09', '2026-02-23']);
    expect(weeksOfMonth('2026-02', SPRING_FESTIVAL_2026)[2].firstWorkingDay).toBe('2026-02-24'); // Mon 23 Feb is still off
    expect(mondays('2026-01', SPRING_FESTIVAL_2026)).not.toContain('2026-02-16');
    expect(mondays('2026-03', SPRING_FESTIVAL_2026)).not.toContain('2026-02-16');
  });
});

describe('S11 consultations of a month', () => {
  it('December 2026: four weekly consultations at 09:00 and the monthly one on Thu 31 Dec at 14:30', () => {
    const ms = meetingsOfMonth('2026-12', NO_HOLIDAYS);
    expect(ms.map((m) => [m.key, bj(m.startsAt)])).toEqual([
      ['weekly:2026-12-07', '2026-12-07 09:00'],
      ['weekly:2026-12-14', '2026-12-14 09:00'],
      ['weekly:2026-12-21', '2026-12-21 09:00'],
      ['weekly:2026-12-28', '2026-12-28 09:00'],
      ['monthly:2026-12', '2026-12-31 14:30'],
    ]);
    expect(ms[0].startsAt.toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(ms[4].startsAt.toISOString()).toBe('2026-12-31T06:30:00.000Z');
    expect(ms.map((m) => m.title)).toEqual([
      '第1周联勤会商（12月7日）',
      '第2周联勤会商（12月14日）',
      '第3周联勤会商（12月21日）',
      '第4周联勤会商（12月28日）',
      '2026年12月联勤会商（月度）',
    ]);
  });

  it('weekly: led by the executive deputy chief with resident departments and full-time gridders (S11)', () => {
    const weekly = meetingsOfMonth('2026-12', NO_HOLIDAYS)[0];
    expect(weekly).toMatchObject({ kind: 'weekly', day: '2026-12-07', leader: 'deputy_chief' });
    expect(weekly.invitees).toEqual(['deputy_chief', 'resident_departments', 'gridder_full']);
  });

  it('monthly: led by the station chief with all departments, village heads, gridders and the public (S11)', () => {
    const monthly = meetingsOfMonth('2026-12', NO_HOLIDAYS).find((m) => m.kind === 'monthly');
    expect(monthly).toMatchObject({ kind: 'monthly', day: '2026-12-31', leader: 'station_chief' });
    expect(monthly?.invitees).toEqual(['station_chief', 'deputy_chief', 'all_departments', 'village_heads', 'gridder_full', 'public_representatives']);
  });

  it('October 2026: the first weekly consultation waits for Thu 8 Oct; Sat 31 Oct moves the monthly one to Fri 30 Oct', () => {
    expect(new Date('2026-10-31T00:00:00Z').getUTCDay()).toBe(6); // Saturday
    const ms = meetingsOfMonth('2026-10', NATIONAL_DAY_2026);
    expect(ms.map((m) => [m.key, bj(m.startsAt)])).toEqual([
      ['weekly:2026-10-08', '2026-10-08 09:00'],
      ['weekly:2026-10-12', '2026-10-12 09:00'],
      ['weekly:2026-10-19', '2026-10-19 09:00'],
      ['weekly:2026-10-26', '2026-10-26 09:00'],
      ['monthly:2026-10', '2026-10-30 14:30'],
    ]);
    expect(ms[0].title).toBe('第1周联勤会商（10月8日）');
    expect(ms.some((m) => m.day >= '2026-10-01' && m.day <= '2026-10-07')).toBe(false);
  });

  it('May 2026 ends on a Sunday: the monthly consultation is on Fri 29 May', () => {
    expect(new Date('2026-05-31T00:00:00Z').getUTCDay()).toBe(0); // Sunday
    const monthly = meetingsOfMonth('2026-05', NO_HOLIDAYS).filter((m) => m.kind === 'monthly');
    expect(monthly.map((m) => [m.key, bj(m.startsAt)])).toEqual([['monthly:2026-05', '2026-05-29 14:30']]);
  });

  it('February 2026: no consultation in the Spring Festival week; the make-up Saturday 28 Feb is the last working day', () => {
    const ms = meetingsOfMonth('2026-02', SPRING_FESTIVAL_2026);
    expect(ms.map((m) => [m.key, bj(m.startsAt)])).toEqual([
      ['weekly:2026-02-02', '2026-02-02 09:00'],
      ['weekly:2026-02-09', '2026-02-09 09:00'],
      ['weekly:2026-02-24', '2026-02-24 09:00'],
      ['monthly:2026-02', '2026-02-28 14:30'],
    ]);
    expect(ms[2].title).toBe('第3周联勤会商（2月24日）');
    expect(ms[3].title).toBe('2026年2月联勤会商（月度）');
  });

  it('a week whose only working day is the month’s last holds both consultations that day, weekly first', () => {
    // Only Monday 30 Nov 2026 is worked in its week: it is both that week's first and the month's last working day.
    const cal: HolidayCalendar = { holidays: new Set(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']), workdays: new Set() };
    const ms = meetingsOfMonth('2026-11', cal);
    expect(ms.slice(-2).map((m) => [m.key, bj(m.startsAt)])).toEqual([
      ['weekly:2026-11-30', '2026-11-30 09:00'],
      ['monthly:2026-11', '2026-11-30 14:30'],
    ]);
    expect(ms).toHaveLength(6);
  });

  it('refuses a malformed month', () => {
    for (const bad of ['2026-13', '2026-00', '2026-1', '202612', '2026-12-01', '', ' 2026-12']) {
      expect(() => meetingsOfMonth(bad, NO_HOLIDAYS)).toThrow(RangeError);
      expect(() => weeksOfMonth(bad, NO_HOLIDAYS)).toThrow(RangeError);
    }
  });
});

describe('month bounds and labels', () => {
  it('knows month lengths, leap years included', () => {
    expect(monthBounds('2026-02')).toEqual({ first: '2026-02-01', last: '2026-02-28' });
    expect(monthBounds('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(monthBounds('2026-12')).toEqual({ first: '2026-12-01', last: '2026-12-31' });
  });

  it('labels every invitee in Chinese', () => {
    const keys: Invitee[] = ['station_chief', 'deputy_chief', 'resident_departments', 'all_departments', 'village_heads', 'gridder_full', 'public_representatives'];
    expect(Object.keys(INVITEE_LABEL).sort()).toEqual([...keys].sort());
    expect(INVITEE_LABEL.resident_departments).toBe('常驻部门');
    expect(INVITEE_LABEL.gridder_full).toBe('专职网格员');
    expect(INVITEE_LABEL.village_heads).toBe('村(社区)负责人');
    expect(INVITEE_LABEL.public_representatives).toBe('群众代表');
  });
});
