import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { distanceM } from '../geo/distance';
import { itemsToWgs84, toWgs84 } from './datum';

// A point in the demo district's part of China, where the GCJ-02 shift applies.
const WGS: [number, number] = [116.3912757, 39.9075016];

describe('datum conversion to WGS-84 (issue 12)', () => {
  it('leaves WGS-84 as it is', () => {
    expect(toWgs84('wgs84', ...WGS)).toEqual(WGS);
  });

  it('undoes the GCJ-02 shift, a few hundred metres in Beijing, to within a metre', () => {
    const gcj = gcoord.transform(WGS, gcoord.WGS84, gcoord.GCJ02);
    const shift = distanceM(...WGS, gcj[0], gcj[1]);
    expect(shift).toBeGreaterThan(100);
    expect(shift).toBeLessThan(1000);
    const back = toWgs84('gcj02', gcj[0], gcj[1]);
    expect(distanceM(...WGS, ...back)).toBeLessThan(1);
  });

  it('undoes BD-09 (GCJ-02 shifted again) to within a metre', () => {
    const bd = gcoord.transform(WGS, gcoord.WGS84, gcoord.BD09);
    expect(distanceM(...WGS, bd[0], bd[1])).toBeGreaterThan(500);
    expect(distanceM(...WGS, ...toWgs84('bd09', bd[0], bd[1]))).toBeLessThan(1);
  });

  it('does not shift a point outside China, where GCJ-02 equals WGS-84', () => {
    expect(toWgs84('gcj02', 2.2945, 48.8584)).toEqual([2.2945, 48.8584]);
  });

  it('converts the points of a batch and passes anything else through for the validation to name', () => {
    const gcj = gcoord.transform(WGS, gcoord.WGS84, gcoord.GCJ02);
    const items: unknown[] = [{ unit: 'u1', t: 1, lon: gcj[0], lat: gcj[1], speed: 2 }, { unit: 'u2', lon: 'x', lat: 39 }, null, [1, 2], { lon: 500, lat: 39 }];
    const out = itemsToWgs84('gcj02', items);
    const first = out[0] as { lon: number; lat: number; unit: string; speed: number };
    expect(first).toMatchObject({ unit: 'u1', t: 1, speed: 2 });
    expect(distanceM(...WGS, first.lon, first.lat)).toBeLessThan(1);
    expect(out.slice(1)).toEqual(items.slice(1));
    expect(itemsToWgs84('wgs84', items)).toEqual(items);
  });
});
