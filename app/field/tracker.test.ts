import { describe, expect, it } from 'vitest';
import { fixOf, geoProblem, keepFix, MOVING_EVERY_MS, STILL_EVERY_MS, type TrackFix } from './tracker';

const T0 = Date.UTC(2026, 4, 6, 2, 0, 0);
const at = (s: number, dLon = 0, extra: Partial<TrackFix> = {}): TrackFix => ({ t: T0 + s * 1000, lon: 120.4 + dLon, lat: 30.8, ...extra });
/** ~1 m of longitude at this latitude, in degrees. */
const M = 1 / (111_320 * Math.cos((30.8 * Math.PI) / 180));

/** The readings a 1 Hz phone gives, filtered as the tracker does: the times kept, in s. */
function kept(readings: TrackFix[]): number[] {
  let last: TrackFix | null = null;
  const out: number[] = [];
  for (const r of readings) {
    if (keepFix(last, r)) {
      out.push((r.t - T0) / 1000);
      last = r;
    }
  }
  return out;
}

describe('which readings the phone keeps (issue 12)', () => {
  it('keeps about one every 5 s while walking at 1.4 m/s', () => {
    const walk = Array.from({ length: 31 }, (_, s) => at(s, s * 1.4 * M));
    expect(kept(walk)).toEqual([0, 5, 10, 15, 20, 25, 30]);
  });

  it('keeps one a minute while standing still, however the reading wanders within its accuracy', () => {
    const still = Array.from({ length: 181 }, (_, s) => at(s, (s % 2 ? 8 : -8) * M, { accuracy: 20 }));
    expect(kept(still)).toEqual([0, 60, 120, 180]);
  });

  it('counts a reported speed as moving even when the step is short', () => {
    expect(keepFix(at(0), at(5, 2 * M, { speed: 1.2 }))).toBe(true);
    expect(keepFix(at(0), at(5, 2 * M, { speed: 0 }))).toBe(false);
  });

  it('never keeps a reading before the 5 s mark, nor one not newer than the last', () => {
    expect(keepFix(at(0), at(MOVING_EVERY_MS / 1000 - 0.5, 100 * M))).toBe(false);
    expect(keepFix(at(10), at(10, 100 * M))).toBe(false);
    expect(keepFix(at(10), at(9, 100 * M))).toBe(false);
    expect(keepFix(at(0), at(STILL_EVERY_MS / 1000))).toBe(true);
  });

  it('reads a browser position, dropping what it could not tell', () => {
    expect(fixOf({ timestamp: T0 + 0.4, coords: { longitude: 120.4, latitude: 30.8, speed: null, heading: NaN, accuracy: 12.34 } })).toEqual({ t: T0, lon: 120.4, lat: 30.8, accuracy: 12.3 });
    expect(fixOf({ timestamp: T0, coords: { longitude: 120.4, latitude: 30.8, speed: 1.44, heading: 361.2, accuracy: 5 } })).toEqual({ t: T0, lon: 120.4, lat: 30.8, speed: 1.4, heading: 1, accuracy: 5 });
    // Standing still, a heading means nothing.
    expect(fixOf({ timestamp: T0, coords: { longitude: 120.4, latitude: 30.8, speed: 0, heading: 90, accuracy: 5 } })).not.toHaveProperty('heading');
  });

  it('says in Chinese why it cannot track', () => {
    expect(geoProblem(1)).toMatch(/允许/);
    expect(geoProblem('unsupported')).toMatch(/不支持定位/);
    expect(geoProblem(2)).toMatch(/GPS/);
  });
});
