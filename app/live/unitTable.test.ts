import { describe, expect, it } from 'vitest';
import { packTick, readTick, type PackedFix } from '@/lib/live/pack';
import { TRAIL_POINTS, TRAIL_STEP_MS } from './trails';
import { GLIDE_MS, LIVE, OFFLINE, OFFLINE_MS, STALE, STALE_MS, UNKNOWN_KIND, UnitTable } from './unitTable';

const T0 = 1_800_000_000_000;
const fix = (unitId: number, t: number, lon = 120.4, lat = 30.8): PackedFix => ({ unitId, t, lon, lat, speed: 1, heading: null });

function apply(table: UnitTable, fixes: PackedFix[], now: number, serverNow: number): void {
  table.begin(now, serverNow);
  readTick(packTick(1, fixes)).forEach(table.applyFix);
}

describe('UnitTable', () => {
  it('gives each unit one dense slot and keeps only newer fixes', () => {
    const t = new UnitTable();
    t.setKinds((id) => (id === 7 ? 0 : undefined));
    apply(t, [fix(7, T0), fix(900_000, T0)], 0, T0);
    expect(t.count).toBe(2);
    expect(t.slotOf(7)).toBe(0);
    expect(t.slotOf(900_000)).toBe(1);
    expect(t.kind[1]).toBe(UNKNOWN_KIND);
    expect(t.unknownSeen).toBe(true);
    // Huge ids (beyond the flat lookup) work the same.
    apply(t, [fix(3_000_000_000, T0)], 0, T0);
    expect(t.slotOf(3_000_000_000)).toBe(2);

    apply(t, [fix(7, T0 - 1000, 121, 31)], 10, T0);
    expect(t.position[0]).toBeCloseTo(120.4, 6);
    apply(t, [fix(7, T0 + 1000, 120.5, 30.9)], 10, T0);
    expect(t.position[0]).toBeCloseTo(120.5, 6);
    expect(t.count).toBe(3);
  });

  it('glides from where the dot was drawn to the new fix over one tick', () => {
    const t = new UnitTable();
    apply(t, [fix(1, T0, 120, 30)], 0, T0);
    apply(t, [fix(1, T0 + 1000, 120.01, 30)], 1000, T0);
    const out = new Float32Array(2);
    expect(t.interpolate(1000 + GLIDE_MS / 2, out)).toBe(true);
    expect(out[0]).toBeCloseTo(120.005, 4);
    // A fix mid-glide starts from the drawn point, not from the last fix.
    apply(t, [fix(1, T0 + 2000, 120.02, 30)], 1000 + GLIDE_MS / 2, T0);
    expect(t.previous[0]).toBeCloseTo(120.005, 6);
    expect(t.interpolate(1000 + GLIDE_MS * 2, out)).toBe(false);
    expect(out[0]).toBeCloseTo(120.02, 4);
  });

  it('counts units online by kind and moves them to stale and offline with the clock', () => {
    const t = new UnitTable();
    t.setKinds(() => 2);
    apply(t, [fix(1, T0), fix(2, T0 - STALE_MS - 1000), fix(3, T0 - OFFLINE_MS - 1000)], 0, T0);
    expect([...t.stateCount]).toEqual([1, 1, 1]);
    expect(t.onlineByKind[2]).toBe(1);
    expect(t.sweep(T0 + STALE_MS + 1)).toBe(true);
    expect(t.state[0]).toBe(STALE);
    expect(t.onlineByKind[2]).toBe(0);
    expect(t.sweep(T0 + OFFLINE_MS + 1)).toBe(true);
    expect([...t.stateCount]).toEqual([0, 0, 3]);
    expect(t.state[0]).toBe(OFFLINE);
    // A fresh fix brings it straight back.
    apply(t, [fix(1, T0 + OFFLINE_MS + 2)], 0, T0 + OFFLINE_MS + 2);
    expect(t.state[0]).toBe(LIVE);
    expect(t.onlineByKind[2]).toBe(1);
    expect(t.sweep(T0 + OFFLINE_MS + 3)).toBe(false);
  });

  it('keeps a bounded trail: one point per step, never more than the ring holds', () => {
    const t = new UnitTable();
    for (let k = 0; k < 1000; k++) apply(t, [fix(1, T0 + k * 1000, 120 + k * 1e-5)], k, T0 + k * 1000);
    const tr = t.trails;
    expect(tr.size[0]).toBe(TRAIL_POINTS);
    expect(tr.lon.length).toBe(t.capacity * TRAIL_POINTS);
    const times = Array.from({ length: tr.size[0] }, (_, k) => tr.t[tr.at(0, k)]);
    for (let k = 1; k < times.length; k++) expect(times[k] - times[k - 1]).toBe(TRAIL_STEP_MS);
    expect(times.at(-1)).toBe(T0 + 990_000);
  });
});
