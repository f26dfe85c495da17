import { describe, expect, it } from 'vitest';
import { IDLE_RETURN_MS, idleOver, lastHour } from './idle';

describe('the wall’s playback returns to live by itself', () => {
  it('after IDLE_RETURN_MS without input, not before', () => {
    expect(idleOver(0, IDLE_RETURN_MS - 1)).toBe(false);
    expect(idleOver(0, IDLE_RETURN_MS)).toBe(true);
    expect(idleOver(1000, 1000 + 30_000, 30_000)).toBe(true);
  });

  it('replays the hour before now', () => {
    expect(lastHour(10_000_000)).toEqual({ from: 10_000_000 - 3_600_000, to: 10_000_000 });
  });
});
