import { describe, expect, it } from 'vitest';
import type { HistoryDispatch, TracePoint } from '../contracts/history';
import { dispatchLinesAt, dispatchStateAt, incidentsAt } from './events';

const T0 = Date.parse('2025-03-10T06:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const M = 60_000;

const DISPATCH: HistoryDispatch = {
  id: 7, eventId: 3, unitId: 5, unitName: '张三', state: 'cleared',
  createdAt: iso(T0 + 2 * M), endedAt: iso(T0 + 20 * M),
  origin: { lon: 120, lat: 30 }, target: { lon: 120.01, lat: 30.01 },
  steps: [{ at: iso(T0 + 3 * M), step: 'acknowledge', toState: 'acknowledged' }, { at: iso(T0 + 10 * M), step: 'arrive', toState: 'on_scene' }],
};

describe('incidents in the replay', () => {
  it('appear at their reported time', () => {
    const list = [{ id: 1, reported: T0 + M }, { id: 2, reported: T0 + 5 * M }].map((i) => ({
      ...i, title: '', category: '', severity: 'normal', state: 'closed', reportedAt: iso(i.reported), lon: 0, lat: 0, stationId: 1,
    }));
    expect(incidentsAt(list, T0).map((i) => i.id)).toEqual([]);
    expect(incidentsAt(list, T0 + M).map((i) => i.id)).toEqual([1]);
    expect(incidentsAt(list, T0 + 9 * M).map((i) => i.id)).toEqual([1, 2]);
  });
});

describe('dispatch lines in the replay', () => {
  it('run from the dispatch to its end, in the state of their last step', () => {
    expect(dispatchLinesAt([DISPATCH], new Map(), T0 + M)).toEqual([]);
    expect(dispatchLinesAt([DISPATCH], new Map(), T0 + 2 * M)).toEqual([{ id: 7, state: 'dispatched', from: [120, 30], to: [120.01, 30.01] }]);
    expect(dispatchStateAt(DISPATCH, T0 + 4 * M)).toBe('acknowledged');
    expect(dispatchStateAt(DISPATCH, T0 + 15 * M)).toBe('on_scene');
    expect(dispatchLinesAt([DISPATCH], new Map(), T0 + 20 * M)).toEqual([]);
  });

  it('start where the unit’s trace puts it at t', () => {
    const trace: TracePoint[] = [[T0 + 2 * M, 120.002, 30.002], [T0 + 6 * M, 120.004, 30.004]];
    const [line] = dispatchLinesAt([DISPATCH], new Map([[5, trace]]), T0 + 4 * M);
    expect(line.from[0]).toBeCloseTo(120.003, 9);
    expect(line.from[1]).toBeCloseTo(30.003, 9);
  });

  it('are left out when neither a trace nor the origin says where the unit was', () => {
    expect(dispatchLinesAt([{ ...DISPATCH, origin: null }], new Map(), T0 + 5 * M)).toEqual([]);
  });
});
