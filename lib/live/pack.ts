/**
 * The compact encoding of a tick of positions, used on the Redis channel and on the socket:
 * 16-byte header (base time ms as float64, sequence uint32, count uint32), then 20 bytes a
 * unit — id, lon·1e6, lat·1e6 (≈ 0.1 m), time offset from base (ms), speed dm/s << 16 | heading.
 * A JSON object per unit would be ~8× larger and far slower to parse on the wall.
 */
export interface PackedFix {
  unitId: number;
  t: number;
  lon: number;
  lat: number;
  speed: number | null;
  heading: number | null;
}

const HEADER = 16;
const RECORD = 20;
const NO_HEADING = 0xffff;

export function packTick(seq: number, fixes: readonly PackedFix[]): Uint8Array {
  const base = fixes.reduce((m, f) => Math.min(m, f.t), Number.POSITIVE_INFINITY);
  const buf = new ArrayBuffer(HEADER + RECORD * fixes.length);
  const view = new DataView(buf);
  view.setFloat64(0, Number.isFinite(base) ? base : 0, true);
  view.setUint32(8, seq >>> 0, true);
  view.setUint32(12, fixes.length, true);
  let o = HEADER;
  for (const f of fixes) {
    view.setUint32(o, f.unitId, true);
    view.setInt32(o + 4, Math.round(f.lon * 1e6), true);
    view.setInt32(o + 8, Math.round(f.lat * 1e6), true);
    view.setUint32(o + 12, f.t - base, true);
    const speed = Math.min(0xffff, Math.round((f.speed ?? 0) * 10));
    const heading = f.heading === null ? NO_HEADING : Math.round(f.heading) % 360;
    view.setUint32(o + 16, ((speed << 16) | heading) >>> 0, true);
    o += RECORD;
  }
  return new Uint8Array(buf);
}

export interface TickView {
  seq: number;
  count: number;
  /** Calls back once per unit without allocating an object per unit. */
  forEach(fn: (unitId: number, lon: number, lat: number, t: number, speed: number, heading: number | null) => void): void;
}

export function readTick(bytes: Uint8Array): TickView {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = view.getFloat64(0, true);
  const seq = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  if (bytes.byteLength !== HEADER + RECORD * count) throw new Error(`tick of ${count} units has ${bytes.byteLength} bytes`);
  return {
    seq,
    count,
    forEach(fn) {
      for (let i = 0, o = HEADER; i < count; i++, o += RECORD) {
        const sh = view.getUint32(o + 16, true);
        const heading = sh & 0xffff;
        fn(
          view.getUint32(o, true),
          view.getInt32(o + 4, true) / 1e6,
          view.getInt32(o + 8, true) / 1e6,
          base + view.getUint32(o + 12, true),
          (sh >>> 16) / 10,
          heading === NO_HEADING ? null : heading,
        );
      }
    },
  };
}
