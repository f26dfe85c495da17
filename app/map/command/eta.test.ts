import { describe, expect, it } from 'vitest';
import type { DispatchV1 } from '@/lib/contracts/command';
import { arrivalText, elapsed, etaLeftS, formatCountdown } from './eta';

const d = { etaS: 300, createdAt: '2026-11-27T02:00:00.000Z', acknowledgedAt: null, enRouteAt: null } as unknown as DispatchV1;
const at = (iso: string) => Date.parse(iso);

describe('ETA countdown', () => {
  it('counts from departure when the unit has set off, else from the dispatch', () => {
    expect(etaLeftS(d, at('2026-11-27T02:01:00.000Z'))).toBe(240);
    expect(etaLeftS({ ...d, enRouteAt: '2026-11-27T02:03:00.000Z' }, at('2026-11-27T02:04:00.000Z'))).toBe(240);
    expect(etaLeftS({ ...d, etaS: null }, 0)).toBeNull();
  });

  it('says late once the time has passed', () => {
    expect(formatCountdown(245)).toBe('预计 4:05');
    expect(formatCountdown(-80)).toBe('超时 1:20');
    expect(elapsed('2026-11-27T02:00:00.000Z', at('2026-11-27T03:02:03.000Z'))).toBe('1:02:03');
    expect(elapsed('2026-11-27T02:00:00.000Z', at('2026-11-27T02:12:03.000Z'))).toBe('12:03');
  });
});

describe('arrival text', () => {
  it('counts down on the way, says nearby when already there, and nothing once on scene', () => {
    const base = { ...d, state: 'en_route', distanceM: 1200, enRouteAt: '2026-11-27T02:00:00.000Z' } as DispatchV1;
    expect(arrivalText(base, at('2026-11-27T02:01:00.000Z'))).toBe('预计 4:00');
    expect(arrivalText({ ...base, distanceM: 10 }, at('2026-11-27T02:01:00.000Z'))).toBe('就在附近');
    expect(arrivalText({ ...base, state: 'on_scene' }, at('2026-11-27T02:01:00.000Z'))).toBe('');
  });
});
