import { describe, expect, it } from 'vitest';
import { fromFields, fromJson, KNOT_MS, OsmAndFault, parseTimestamp } from './osmand';

const NOW = Date.UTC(2026, 4, 6, 2, 0, 0);
const q = (s: string) => new URLSearchParams(s);
const faultOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof OsmAndFault ? e.field : e;
  }
  return null;
};

describe('the OsmAnd protocol as trackers send it (issue 12)', () => {
  it('reads timestamps in seconds, milliseconds, ISO 8601 and "yyyy-MM-dd HH:mm:ss" (UTC); none is now', () => {
    expect(parseTimestamp('1377177267', NOW)).toBe(1377177267000);
    expect(parseTimestamp('1442068686579', NOW)).toBe(1442068686579);
    expect(parseTimestamp('2016-01-27T18:55:47Z', NOW)).toBe(Date.UTC(2016, 0, 27, 18, 55, 47));
    expect(parseTimestamp('2014-06-04 09:10:11', NOW)).toBe(Date.UTC(2014, 5, 4, 9, 10, 11));
    expect(parseTimestamp(undefined, NOW)).toBe(NOW);
    expect(faultOf(() => parseTimestamp('yesterday', NOW))).toBe('timestamp');
  });

  it('reads the fields of Traccar Client for Android: speed in knots, bearing, accuracy, battery', () => {
    const f = fromFields(q('id=G-1&timestamp=1377177267&lat=30.8&lon=120.4&speed=2.0&bearing=92.5&altitude=12.0&accuracy=8.0&batt=76.0'), NOW);
    expect(f).toEqual({ unit: 'G-1', t: 1377177267000, lat: 30.8, lon: 120.4, speed: 2 * KNOT_MS, heading: 92.5, accuracy: 8, batt: 76 });
  });

  it('takes deviceid, heading and location=lat,lon as other trackers write them; -1 means unknown', () => {
    expect(fromFields(q('deviceid=G-1&location=30.8,120.4&heading=-1&speed=-1'), NOW)).toMatchObject({ unit: 'G-1', lat: 30.8, lon: 120.4, heading: undefined, speed: undefined, t: NOW });
  });

  it('names the field at fault', () => {
    expect(faultOf(() => fromFields(q('lat=30.8&lon=120.4'), NOW))).toBe('id');
    expect(faultOf(() => fromFields(q('id=G-1&lon=120.4'), NOW))).toBe('lat');
    expect(faultOf(() => fromFields(q('id=G-1&lat=30.8'), NOW))).toBe('lon');
    expect(faultOf(() => fromFields(q('id=G-1&lat=95&lon=120.4'), NOW))).toBe('lat');
    expect(faultOf(() => fromFields(q('id=G-1&lat=30.8&lon=120.4&speed=fast'), NOW))).toBe('speed');
    expect(faultOf(() => fromFields(q('id=G-1&lat=30.8&lon=120.4&batt=150'), NOW))).toBe('batt');
  });

  it("reads Traccar Client's JSON, one fix or a batch, speed already in m/s", () => {
    const loc = (ts: string, lat: number) => ({ timestamp: ts, coords: { latitude: lat, longitude: 120.4, accuracy: 5, speed: 1.5, heading: -1, altitude: 5 }, battery: { level: 0.79, is_charging: false } });
    expect(fromJson({ device_id: 'G-1', location: loc('2025-06-15T13:45:12.862Z', 30.8) }, NOW)).toEqual([
      { unit: 'G-1', t: Date.parse('2025-06-15T13:45:12.862Z'), lat: 30.8, lon: 120.4, speed: 1.5, heading: undefined, accuracy: 5, batt: 79 },
    ]);
    expect(fromJson({ device_id: 'G-1', location: [loc('2025-06-15T13:45:12Z', 30.8), loc('2025-06-15T13:45:17Z', 30.81)] }, NOW).map((f) => f.lat)).toEqual([30.8, 30.81]);
    expect(faultOf(() => fromJson({ location: loc('2025-06-15T13:45:12Z', 30.8) }, NOW))).toBe('id');
    expect(faultOf(() => fromJson({ device_id: 'G-1', location: { timestamp: 'x', coords: { longitude: 120 } } }, NOW))).toBe('lat');
  });
});
