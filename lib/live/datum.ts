import gcoord from 'gcoord';
import type { Datum } from '../contracts/master';

/*
 * Chinese map SDKs (AMap/Tencent: GCJ-02; Baidu: BD-09) hand out shifted coordinates by law; our
 * maps, PostGIS and every other input are WGS-84. A device marked so is converted on the way in,
 * before validation, so the district check and the speed check see where the unit really is.
 */

const FROM = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** WGS-84 [lon, lat] of a point given in `datum`. Outside China gcoord leaves GCJ-02 as it is, as the datum does. */
export function toWgs84(datum: Datum, lon: number, lat: number): [number, number] {
  if (datum === 'wgs84') return [lon, lat];
  const [x, y] = gcoord.transform([lon, lat], FROM[datum], gcoord.WGS84);
  return [x, y];
}

const isCoord = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Raw position items with `lon`/`lat` converted; anything that is not a plausible point is passed
 * through untouched, so the validation names its fault exactly as for any other source.
 */
export function itemsToWgs84(datum: Datum, items: readonly unknown[]): unknown[] {
  if (datum === 'wgs84') return [...items];
  return items.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const o = item as Record<string, unknown>;
    if (!isCoord(o.lon) || !isCoord(o.lat) || Math.abs(o.lon) > 180 || Math.abs(o.lat) > 90) return item;
    const [lon, lat] = toWgs84(datum, o.lon, o.lat);
    return { ...o, lon, lat };
  });
}
