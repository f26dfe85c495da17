import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, readState, writeState } from './state';

describe('cockpit URL state', () => {
  it('round-trips a drill with a custom range', () => {
    const s = { ...DEFAULT_STATE, area: 'grid:G01' as const, period: 'range' as const, from: '2026-03-01', to: '2026-03-31', kpi: 'completion' as const, part: 'denominator' as const, days: 90 as const, projected: true };
    expect(readState(writeState(s))).toEqual(s);
  });

  it('leaves defaults out of the link', () => {
    expect(writeState(DEFAULT_STATE)).toBe('');
    expect(writeState({ ...DEFAULT_STATE, area: 'station:3' })).toBe('?area=station%3A3');
  });

  it('drops what the API would refuse instead of sending it', () => {
    expect(readState('?area=planet:x&period=year&kpi=nope&part=all&days=45')).toEqual(DEFAULT_STATE);
    // A range without both ends in order means today.
    expect(readState('?period=range&from=2026-03-05&to=2026-03-01').period).toBe('today');
    expect(readState('?period=range&from=2026-02-30&to=2026-03-01').period).toBe('today');
    // Days outside a range are not kept.
    expect(readState('?period=week&from=2026-03-01&to=2026-03-02')).toMatchObject({ period: 'week', from: null, to: null });
  });
});
