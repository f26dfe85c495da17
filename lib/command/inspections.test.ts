import { describe, expect, it } from 'vitest';
import { NO_HOLIDAYS, type HolidayCalendar } from '../time/workdays';
import { activeKeyPeriods, compliance, requiredInspections, type InspectionDone, type KeyPeriod } from './inspections';

// Resident departments (S5 'resident' residency).
const RESIDENT = ['police', 'enforcement', 'market'];

// December 2026, no holidays: its weeks are Mon 7, 14, 21 and 28 Dec (1 Dec is a Tuesday, so the
// week of Mon 30 Nov belongs to November; the week of 28 Dec runs to Sun 3 Jan 2027).
const DEC_WEEKS = [
  { from: '2026-12-07', to: '2026-12-13' },
  { from: '2026-12-14', to: '2026-12-20' },
  { from: '2026-12-21', to: '2026-12-27' },
  { from: '2026-12-28', to: '2027-01-03' },
];

// Year-end safety period (S10 key period: holidays and the winter accident peak).
const YEAR_END: KeyPeriod = { name: '岁末年初安全检查', startsOn: '2026-12-20', endsOn: '2026-12-31' };

const SPRING_FESTIVAL_2026: HolidayCalendar = {
  holidays: new Set(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']),
  workdays: new Set(['2026-02-14', '2026-02-28']),
};

describe('key periods', () => {
  const festival: KeyPeriod = { name: '元旦', startsOn: '2026-12-31', endsOn: '2027-01-03' };

  it('are in force on both end days and not outside them', () => {
    expect(activeKeyPeriods('2026-12-19', [YEAR_END])).toEqual([]);
    expect(activeKeyPeriods('2026-12-20', [YEAR_END])).toEqual([YEAR_END]);
    expect(activeKeyPeriods('2026-12-31', [YEAR_END])).toEqual([YEAR_END]);
    expect(activeKeyPeriods('2027-01-01', [YEAR_END])).toEqual([]);
  });

  it('return every overlapping period, in the order given', () => {
    expect(activeKeyPeriods('2026-12-31', [festival, YEAR_END]).map((p) => p.name)).toEqual(['元旦', '岁末年初安全检查']);
    expect(activeKeyPeriods('2027-01-02', [YEAR_END, festival]).map((p) => p.name)).toEqual(['元旦']);
  });

  it('refuse malformed days and periods that end before they start', () => {
    expect(() => activeKeyPeriods('2026-12-32', [YEAR_END])).toThrow(RangeError);
    expect(() => activeKeyPeriods('20261220', [YEAR_END])).toThrow(RangeError);
    expect(() => activeKeyPeriods('2026-12-20', [{ name: 'x', startsOn: '2026-12-31', endsOn: '2026-12-20' }])).toThrow(RangeError);
  });
});

describe('S10 inspections required in a month', () => {
  it('normal month: 1 per resident department per week, 1 station-wide for the whole month', () => {
    const reqs = requiredInspections('2026-12', RESIDENT, [], NO_HOLIDAYS);
    expect(reqs.map((r) => [r.kind, r.department, r.required, r.keyPeriod])).toEqual([
      ['department_weekly', 'police', 4, false],
      ['department_weekly', 'enforcement', 4, false],
      ['department_weekly', 'market', 4, false],
      ['station_monthly', null, 1, false],
    ]);
    expect(reqs[0].windows).toEqual(DEC_WEEKS.map((w) => ({ ...w, required: 1 })));
    expect(reqs[3].windows).toEqual([{ from: '2026-12-01', to: '2026-12-31', required: 1 }]);
  });

  it('key period 20–31 Dec doubles the departments’ weeks it overlaps and makes the station-wide inspection weekly there', () => {
    const reqs = requiredInspections('2026-12', RESIDENT, [YEAR_END], NO_HOLIDAYS);
    // Sun 20 Dec puts the week of 14 Dec in the key period; the week of 7 Dec is untouched.
    for (const r of reqs.slice(0, 3)) {
      expect(r.windows.map((w) => w.required)).toEqual([1, 2, 2, 2]);
      expect(r.required).toBe(7);
      expect(r.keyPeriod).toBe(true);
    }
    const station = reqs[3];
    expect(station).toMatchObject({ kind: 'station_monthly', department: null, required: 3, keyPeriod: true });
    expect(station.windows).toEqual(DEC_WEEKS.slice(1).map((w) => ({ ...w, required: 1 })));
  });

  it('a key period inside a week that belongs to the previous month changes that month, not this one', () => {
    const early: KeyPeriod = { name: '安全生产月检', startsOn: '2026-12-01', endsOn: '2026-12-06' };
    const dec = requiredInspections('2026-12', ['police'], [early], NO_HOLIDAYS);
    expect(dec.map((r) => [r.required, r.keyPeriod])).toEqual([[4, false], [1, false]]);
    expect(dec[1].windows).toEqual([{ from: '2026-12-01', to: '2026-12-31', required: 1 }]);

    const nov = requiredInspections('2026-11', ['police'], [early], NO_HOLIDAYS);
    expect(nov[0].windows.map((w) => w.required)).toEqual([1, 1, 1, 1, 2]);
    expect(nov[0].required).toBe(6);
    expect(nov[1].windows).toEqual([{ from: '2026-11-30', to: '2026-12-06', required: 1 }]);
  });

  it('Spring Festival 2026: the week with no working day owes nothing; the weeks touching the holiday are intensified', () => {
    const festival: KeyPeriod = { name: '春节', startsOn: '2026-02-15', endsOn: '2026-02-23' };
    const [police, station] = requiredInspections('2026-02', ['police'], [festival], SPRING_FESTIVAL_2026);
    expect(police.windows).toEqual([
      { from: '2026-02-02', to: '2026-02-08', required: 1 },
      { from: '2026-02-09', to: '2026-02-15', required: 2 },
      { from: '2026-02-23', to: '2026-03-01', required: 2 },
    ]);
    expect(police.required).toBe(5);
    expect(station.windows).toEqual([
      { from: '2026-02-09', to: '2026-02-15', required: 1 },
      { from: '2026-02-23', to: '2026-03-01', required: 1 },
    ]);
  });

  it('lists a department once even if named twice, and still owes the station-wide inspection with no departments', () => {
    expect(requiredInspections('2026-12', ['police', 'police'], [], NO_HOLIDAYS).map((r) => r.department)).toEqual(['police', null]);
    expect(requiredInspections('2026-12', [], [], NO_HOLIDAYS).map((r) => [r.kind, r.required])).toEqual([['station_monthly', 1]]);
  });

  it('refuses a malformed month', () => {
    expect(() => requiredInspections('2026-12-01', RESIDENT, [], NO_HOLIDAYS)).toThrow(RangeError);
    expect(() => requiredInspections('2026-13', RESIDENT, [], NO_HOLIDAYS)).toThrow(RangeError);
  });
});

describe('inspection compliance', () => {
  const d = (kind: InspectionDone['kind'], department: string | null, day: string): InspectionDone => ({ kind, department, day });

  it('counts each inspection in the window holding its day, uncapped, and meets only when every window does', () => {
    const reqs = requiredInspections('2026-12', RESIDENT, [YEAR_END], NO_HOLIDAYS);
    const done: InspectionDone[] = [
      // police: 1, 2, 1, 4 against 1, 2, 2, 2 — short in the week of 21 Dec.
      d('department_weekly', 'police', '2026-12-08'),
      d('department_weekly', 'police', '2026-12-15'),
      d('department_weekly', 'police', '2026-12-19'),
      d('department_weekly', 'police', '2026-12-22'),
      d('department_weekly', 'police', '2026-12-28'),
      d('department_weekly', 'police', '2026-12-29'),
      d('department_weekly', 'police', '2026-12-30'),
      d('department_weekly', 'police', '2027-01-02'), // the week of 28 Dec runs into January
      d('department_weekly', 'police', '2026-11-30'), // November's week: outside every window
      d('department_weekly', 'police', '2026-12-05'), // still November's week
      // enforcement: exactly 1, 2, 2, 2.
      d('department_weekly', 'enforcement', '2026-12-09'),
      d('department_weekly', 'enforcement', '2026-12-14'),
      d('department_weekly', 'enforcement', '2026-12-20'),
      d('department_weekly', 'enforcement', '2026-12-21'),
      d('department_weekly', 'enforcement', '2026-12-27'),
      d('department_weekly', 'enforcement', '2026-12-31'),
      d('department_weekly', 'enforcement', '2027-01-01'),
      // market: nothing of its own; a station-wide inspection tagged with it does not count for it.
      d('station_monthly', 'market', '2026-12-16'),
      // station: 1, 2, 0 against 1, 1, 1; the one on 3 Dec is before the intensified weeks.
      d('station_monthly', null, '2026-12-03'),
      d('station_monthly', null, '2026-12-16'),
      d('station_monthly', null, '2026-12-23'),
      d('station_monthly', null, '2026-12-24'),
      d('department_weekly', null, '2026-12-29'), // wrong kind for the station
    ];
    const c = compliance(reqs, done);
    expect(c.map((r) => [r.department, r.windows.map((w) => w.done), r.done, r.required, r.met])).toEqual([
      ['police', [1, 2, 1, 4], 8, 7, false],
      ['enforcement', [1, 2, 2, 2], 7, 7, true],
      ['market', [0, 0, 0, 0], 0, 7, false],
      [null, [1, 2, 0], 3, 3, false],
    ]);
    expect(c[3].windows[2]).toEqual({ from: '2026-12-28', to: '2027-01-03', required: 1, done: 0 });
  });

  it('normal month: one station-wide inspection anywhere in the month meets it, one in January does not', () => {
    const reqs = requiredInspections('2026-12', ['police'], [], NO_HOLIDAYS);
    const inDec = compliance(reqs, [d('station_monthly', null, '2026-12-01')]);
    expect(inDec[1]).toMatchObject({ done: 1, met: true });
    expect(inDec[0]).toMatchObject({ done: 0, met: false });
    const inJan = compliance(reqs, [d('station_monthly', null, '2027-01-02')]);
    expect(inJan[1]).toMatchObject({ done: 0, met: false });
  });

  it('keeps the requirement fields and refuses a malformed inspection day', () => {
    const reqs = requiredInspections('2026-12', ['police'], [YEAR_END], NO_HOLIDAYS);
    expect(compliance(reqs, [])[0]).toMatchObject({ kind: 'department_weekly', department: 'police', required: 7, keyPeriod: true, done: 0, met: false });
    expect(() => compliance(reqs, [d('department_weekly', 'police', '2026-12-1')])).toThrow(RangeError);
  });
});
