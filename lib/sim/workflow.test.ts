import { describe, expect, it } from 'vitest';
import { decide, type EventState } from '../events/machine';
import { seededRandom } from '../random';
import { dispatchDwellMs, DWELL_MS, dwellMs, nextStep, type SimEvent } from './workflow';

describe('the simulated station works its events along the closed loop', () => {
  it('every step it proposes is one the state machine allows for that role, and every event ends', () => {
    const rand = seededRandom(4);
    for (let id = 1; id <= 500; id += 1) {
      let e: SimEvent = { id, state: 'reported', department: null, defaultDepartment: id % 3 ? 'police' : null, duplicateOf: id % 10 === 0 ? 1 : null };
      let steps = 0;
      for (let step = nextStep(e, ['police', 'market'], rand); step; step = nextStep(e, ['police', 'market'], rand)) {
        const note = 'note' in step.action ? step.action.note : undefined;
        const d = decide({ state: e.state, reportedByCitizen: false }, step.action.action, step.role, note);
        expect(d, `${e.state} ${step.action.action} by ${step.role}`).toMatchObject({ ok: true });
        if (!d.ok) break;
        const department = step.action.action === 'assign' ? step.action.department : e.department;
        e = { ...e, state: d.to, department };
        steps += 1;
        expect(steps).toBeLessThan(60);
      }
      expect(['closed', 'returned', 'merged']).toContain(e.state);
    }
  });

  it('dwell times are stable per event and within range, with a slow tail', () => {
    const states = Object.keys(DWELL_MS) as EventState[];
    let slow = 0;
    for (let id = 1; id <= 1200; id += 1)
      for (const s of states) {
        const d = dwellMs(id, s)!;
        expect(d).toBe(dwellMs(id, s));
        const [lo, hi] = DWELL_MS[s]!;
        expect(d).toBeGreaterThanOrEqual(lo);
        expect(d).toBeLessThanOrEqual(hi * 4);
        if (d > hi) slow += 1;
      }
    expect(slow / (1200 * states.length)).toBeGreaterThan(0.05);
    expect(slow / (1200 * states.length)).toBeLessThan(0.12);
    expect(dwellMs(1, 'closed')).toBeNull();
  });
});

describe('simulated units on a dispatch (S12)', () => {
  it('acknowledge within a minute, travel for about their ETA, and one in twelve stays silent', () => {
    const ids = Array.from({ length: 1200 }, (_, i) => i + 1);
    const silent = ids.filter((id) => dispatchDwellMs(id, 'dispatched', 300) === null).length;
    expect(silent).toBeGreaterThan(60);
    expect(silent).toBeLessThan(140);
    for (const id of ids.slice(0, 50)) {
      const ack = dispatchDwellMs(id, 'dispatched', 300) ?? 15_000;
      expect(ack).toBeGreaterThanOrEqual(15_000);
      expect(ack).toBeLessThanOrEqual(60_000);
      const road = dispatchDwellMs(id, 'en_route', 300)!;
      expect(road).toBeGreaterThanOrEqual(240_000);
      expect(road).toBeLessThanOrEqual(360_000);
    }
    expect(dispatchDwellMs(1, 'en_route', 5)).toBe(30_000);
    expect(dispatchDwellMs(1, 'cleared', 300)).toBeNull();
  });
});
