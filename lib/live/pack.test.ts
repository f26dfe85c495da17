import { describe, expect, it } from 'vitest';
import { packTick, readTick, type PackedFix } from './pack';

describe('tick encoding', () => {
  it('round-trips positions to 1e-6 degree and 0.1 m/s', () => {
    const fixes: PackedFix[] = [
      { unitId: 1, t: 1_790_000_000_123, lon: 120.4234567, lat: 30.8765432, speed: 1.37, heading: 271 },
      { unitId: 4_000_000, t: 1_790_000_003_000, lon: 120.1, lat: 30.6, speed: null, heading: null },
    ];
    const tick = readTick(packTick(42, fixes));
    expect(tick.seq).toBe(42);
    const out: unknown[] = [];
    tick.forEach((unitId, lon, lat, t, speed, heading) => out.push({ unitId, lon, lat, t, speed, heading }));
    expect(out).toEqual([
      { unitId: 1, lon: 120.423457, lat: 30.876543, t: 1_790_000_000_123, speed: 1.4, heading: 271 },
      { unitId: 4_000_000, lon: 120.1, lat: 30.6, t: 1_790_000_003_000, speed: 0, heading: null },
    ]);
  });

  it('is 20 bytes a unit plus a 16-byte header', () => {
    const fixes = Array.from({ length: 1000 }, (_, i) => ({ unitId: i, t: 1e12 + i, lon: 120, lat: 30, speed: 1, heading: 0 }));
    expect(packTick(1, fixes).byteLength).toBe(16 + 20 * 1000);
  });

  it('refuses a truncated tick', () => {
    const bytes = packTick(1, [{ unitId: 1, t: 1, lon: 1, lat: 1, speed: 0, heading: 0 }]);
    expect(() => readTick(bytes.subarray(0, bytes.length - 1))).toThrow(/bytes/);
  });
});
