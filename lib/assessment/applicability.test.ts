import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APPLIES, applicabilityMarkdownTable } from './applicability';
import { INDICATOR_CODES } from './indicators';

describe('which indicator applies to which subject (issue 15 point 2; S13, S14)', () => {
  it('has a row for every indicator and nothing else, and stations are measured on everything', () => {
    expect(Object.keys(APPLIES).sort()).toEqual([...INDICATOR_CODES].sort());
    for (const code of INDICATOR_CODES) expect(APPLIES[code].station, code).toBe(true);
  });

  it('the station-only figures (S10, S11, S4, S14 review) are not a team’s or a person’s; acceptance is not a handler’s', () => {
    for (const code of ['consultations', 'inspections', 'coverage', 'mediation', 'review'] as const) expect(APPLIES[code]).toEqual({ station: true, team: false, person: false });
    expect(APPLIES.on_time_accept).toEqual({ station: true, team: true, person: false });
  });

  it('the README (## 考评得分) carries the table as generated', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(applicabilityMarkdownTable());
  });
});
