import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, shanghaiDay, type HolidayCalendar } from './workdays';

// Instants written in Beijing time (+08:00) so the calendar reads as a Chinese official would.
const at = (s: string) => new Date(`${s}+08:00`);
const iso = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

// National Day 2026 (illustrative): 1–7 Oct off, Sunday 27 Sep and Saturday 10 Oct worked.
const CAL: HolidayCalendar = {
  holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']),
  workdays: new Set(['2026-09-27', '2026-10-10']),
};

describe('working days on the Asia/Shanghai calendar', () => {
  it('reads the day in Shanghai, not UTC', () => {
    expect(shanghaiDay(at('2026-11-27T07:30:00'))).toBe('2026-11-27');
    expect(shanghaiDay(new Date('2026-11-26T17:00:00Z'))).toBe('2026-11-27');
  });

  it('weekends are off, make-up weekend days are worked, holidays are off', () => {
    expect(isWorkingDay('2026-11-28', CAL)).toBe(false); // Saturday
    expect(isWorkingDay('2026-09-27', CAL)).toBe(true); // make-up Sunday
    expect(isWorkingDay('2026-10-01', CAL)).toBe(false); // Thursday, holiday
  });

  it('1 working day from Thursday 10:00 is Friday 10:00', () => {
    expect(iso(addWorkingDays(at('2026-11-26T10:00:00'), 1, CAL))).toBe('2026-11-27 10:00');
  });

  it('1 working day from Friday 10:00 crosses the weekend to Monday 10:00', () => {
    expect(iso(addWorkingDays(at('2026-11-27T10:00:00'), 1, CAL))).toBe('2026-11-30 10:00');
  });

  it('5 working days from Friday 16:00 is the next Friday 16:00', () => {
    expect(iso(addWorkingDays(at('2026-11-27T16:00:00'), 5, CAL))).toBe('2026-12-04 16:00');
  });

  it('a Saturday report with 1 day falls due at the end of Monday', () => {
    expect(iso(addWorkingDays(at('2026-11-28T15:00:00'), 1, CAL))).toBe('2026-11-30 23:59');
  });

  it('across National Day: 2 working days from Wednesday 30 Sep 09:00 skip the holiday and use the make-up Saturday', () => {
    // 30 Sep (Wed) → 3 Oct Sat off, 4 Sun off, 1–2 and 5–7 holidays, 8 Thu is day 1, 9 Fri is day 2.
    expect(iso(addWorkingDays(at('2026-09-30T09:00:00'), 2, CAL))).toBe('2026-10-09 09:00');
    // 10 working days: 8, 9, 10 (make-up Sat), 12, 13, 14, 15, 16, 19, 20.
    expect(iso(addWorkingDays(at('2026-09-30T09:00:00'), 10, CAL))).toBe('2026-10-20 09:00');
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays(new Date(), -1, CAL)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(), 1.5, CAL)).toThrow(RangeError);
  });
});
