/*
 * The OsmAnd tracking protocol (issue 12), as OsmAnd, Traccar Client and many GPS trackers send
 * it: one fix per request as query or form fields, or Traccar Client's JSON (its background
 * geolocation library's shape). Read from the protocol as Traccar's decoder takes it; nothing
 * here knows units or tokens. Each fault names the field, which is also the counter's label.
 */

/** Knots to metres per second: OsmAnd's `speed` field is in knots, Traccar Client's JSON in m/s. */
export const KNOT_MS = 1852 / 3600;

/** The labels a refused request is counted by: the field at fault. */
export const OSMAND_FIELDS = ['id', 'lat', 'lon', 'timestamp', 'speed', 'bearing', 'accuracy', 'batt', 'body'] as const;
export type OsmAndField = (typeof OSMAND_FIELDS)[number];

/** One fix as read, before validation; lon/lat in the device's datum. */
export interface OsmAndFix {
  unit: string;
  t: number;
  lon: number;
  lat: number;
  speed?: number;
  heading?: number;
  accuracy?: number;
  /** Battery percentage, 0–100: read and checked; not stored (no column holds it). */
  batt?: number;
}

export class OsmAndFault extends Error {
  constructor(
    readonly field: OsmAndField,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const fault = (field: OsmAndField, message: string): never => {
  throw new OsmAndFault(field, message);
};

/** A number field: absent → undefined; present but not a finite number → the field's fault. */
function num(field: OsmAndField, raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : fault(field, `须为数字，收到 "${raw.slice(0, 40)}"`);
}

const SECONDS_LIMIT = 2 ** 31 - 1;
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ +](\d{2}):(\d{2}):(\d{2})$/;

/**
 * `timestamp` as devices write it: epoch seconds (below 2^31, as Traccar reads it), epoch ms, ISO
 * 8601, or "yyyy-MM-dd HH:mm:ss" taken as UTC (what Traccar's decoder does on a server in UTC).
 * Absent: the time of arrival, as Traccar does.
 */
export function parseTimestamp(raw: string | null | undefined, now: number): number {
  if (raw === null || raw === undefined || raw.trim() === '') return now;
  const s = raw.trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    return Math.round(n < SECONDS_LIMIT ? n * 1000 : n);
  }
  const local = LOCAL_TIME.exec(s);
  if (local) {
    const [, y, mo, d, h, mi, se] = local.map(Number);
    return Date.UTC(y, mo - 1, d, h, mi, se);
  }
  const t = s.includes('T') ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? t : fault('timestamp', `无法识别的时间 "${s.slice(0, 40)}"（须为秒、毫秒或 ISO 8601）`);
}

/** A heading of -1 (or any negative) means "unknown" in these apps. */
const headingOf = (b: number | undefined) => (b === undefined || b < 0 ? undefined : b % 360);
const nonNegative = (x: number | undefined) => (x === undefined || x < 0 ? undefined : x);

/** The query/form fields of one request (the token already taken out). */
export function fromFields(p: URLSearchParams, now: number): OsmAndFix {
  const unit = (p.get('id') ?? p.get('deviceid') ?? '').trim();
  if (!unit) fault('id', '缺少设备编号 id（填单位编码）');
  let lat = num('lat', p.get('lat'));
  let lon = num('lon', p.get('lon'));
  const location = p.get('location');
  if ((lat === undefined || lon === undefined) && location) {
    const [a, b] = location.split(',');
    lat = num('lat', a);
    lon = num('lon', b ?? '');
  }
  if (lat === undefined) return fault('lat', '缺少纬度 lat');
  if (lon === undefined) return fault('lon', '缺少经度 lon');
  if (lat < -90 || lat > 90) fault('lat', `纬度 ${lat} 超出 -90…90`);
  if (lon < -180 || lon > 180) fault('lon', `经度 ${lon} 超出 -180…180`);
  const knots = num('speed', p.get('speed'));
  const batt = num('batt', p.get('batt'));
  if (batt !== undefined && (batt < 0 || batt > 100)) fault('batt', `电量 ${batt} 超出 0…100`);
  return {
    unit,
    t: parseTimestamp(p.get('timestamp'), now),
    lat,
    lon,
    speed: knots === undefined || knots < 0 ? undefined : knots * KNOT_MS,
    heading: headingOf(num('bearing', p.get('bearing') ?? p.get('heading'))),
    accuracy: nonNegative(num('accuracy', p.get('accuracy'))),
    batt,
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonNum(field: OsmAndField, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : fault(field, '须为数字');
}

/**
 * Traccar Client's JSON: `{ device_id, location: { timestamp, coords: { latitude, longitude,
 * speed (m/s), heading, accuracy }, battery: { level 0–1 } } }`; `location` may be a list (its
 * batched uploads). Fixes come back in the order given.
 */
export function fromJson(body: unknown, now: number): OsmAndFix[] {
  if (!isObject(body)) return fault('body', '须为 JSON 对象');
  const unit = typeof body.device_id === 'string' || typeof body.device_id === 'number' ? String(body.device_id).trim() : '';
  if (!unit) fault('id', '缺少 device_id（填单位编码）');
  const list = Array.isArray(body.location) ? body.location : [body.location];
  if (list.length === 0 || list.length > 1000) fault('body', 'location 须为 1 到 1000 个点位');
  return list.map((loc) => {
    if (!isObject(loc) || !isObject(loc.coords)) return fault('lat', '缺少 location.coords');
    const c = loc.coords;
    const lat = jsonNum('lat', c.latitude) ?? fault('lat', '缺少 location.coords.latitude');
    const lon = jsonNum('lon', c.longitude) ?? fault('lon', '缺少 location.coords.longitude');
    if (lat < -90 || lat > 90) fault('lat', `纬度 ${lat} 超出 -90…90`);
    if (lon < -180 || lon > 180) fault('lon', `经度 ${lon} 超出 -180…180`);
    if (loc.timestamp !== undefined && typeof loc.timestamp !== 'string' && typeof loc.timestamp !== 'number') fault('timestamp', '须为 ISO 8601 文本或数字');
    const level = isObject(loc.battery) ? jsonNum('batt', loc.battery.level) : undefined;
    return {
      unit,
      t: parseTimestamp(loc.timestamp === undefined ? undefined : String(loc.timestamp), now),
      lat,
      lon,
      speed: nonNegative(jsonNum('speed', c.speed)),
      heading: headingOf(jsonNum('bearing', c.heading)),
      accuracy: nonNegative(jsonNum('accuracy', c.accuracy)),
      batt: level === undefined || level < 0 ? undefined : Math.min(100, level * 100),
    };
  });
}
