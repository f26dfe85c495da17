import { deflateSync } from 'node:zlib';
import { zxyToTileId } from 'pmtiles';

/*
 * Test fixtures only: a PMTiles v3 archive built in memory (the pmtiles package reads, it does not
 * write), so the tests need no binary checked in. Uncompressed directories and tiles, one root
 * directory, no leaves — the smallest archive the spec allows (github.com/protomaps/PMTiles spec/v3).
 */

export interface FixtureTile {
  z: number;
  x: number;
  y: number;
  data: Buffer;
}

const TILE_TYPE = { mvt: 1, png: 2 } as const;

function varint(n: number, out: number[]): void {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

export function pmtilesArchive(tiles: FixtureTile[], opts: { type: keyof typeof TILE_TYPE; bounds: [number, number, number, number]; metadata?: object }): Buffer {
  const entries = tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  const dir: number[] = [];
  varint(entries.length, dir);
  entries.forEach((e, i) => varint(e.id - (i ? entries[i - 1].id : 0), dir));
  entries.forEach(() => varint(1, dir));
  entries.forEach((e) => varint(e.data.length, dir));
  let offset = 0;
  for (const e of entries) {
    varint(offset + 1, dir);
    offset += e.data.length;
  }
  const root = Buffer.from(dir);
  const meta = Buffer.from(JSON.stringify(opts.metadata ?? {}));
  const data = Buffer.concat(entries.map((e) => e.data));
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(3, 7);
  const at = [127, root.length, 127 + root.length, meta.length, 127 + root.length + meta.length, 0, 127 + root.length + meta.length, data.length];
  at.forEach((v, i) => header.writeBigUInt64LE(BigInt(v), 8 + 8 * i));
  for (const [i, v] of [entries.length, entries.length, entries.length].entries()) header.writeBigUInt64LE(BigInt(v), 72 + 8 * i);
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(TILE_TYPE[opts.type], 99);
  const zooms = entries.length ? tiles.map((t) => t.z) : [0];
  header.writeUInt8(Math.min(...zooms), 100);
  header.writeUInt8(Math.max(...zooms), 101);
  const [w, s, e, n] = opts.bounds;
  [w, s, e, n].forEach((v, i) => header.writeInt32LE(Math.round(v * 1e7), 102 + 4 * i));
  header.writeUInt8(Math.min(...zooms), 118);
  header.writeInt32LE(Math.round(((w + e) / 2) * 1e7), 119);
  header.writeInt32LE(Math.round(((s + n) / 2) * 1e7), 123);
  return Buffer.concat([header, root, meta, data]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

/** A 256×256 PNG of one colour: a raster tile the map can draw. */
export function solidPng([r, g, b]: [number, number, number], size = 256): Buffer {
  const row = Buffer.alloc(1 + size * 3);
  for (let i = 0; i < size; i++) row.set([r, g, b], 1 + i * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The world at zoom 0 and one tile of zoom 1, in one colour each: enough to see a basemap drawn. */
export function rasterFixture(): Buffer {
  return pmtilesArchive(
    [{ z: 0, x: 0, y: 0, data: solidPng([34, 85, 60]) }, { z: 1, x: 1, y: 0, data: solidPng([60, 90, 140]) }],
    { type: 'png', bounds: [-180, -85, 180, 85], metadata: { name: 'liandong-test' } },
  );
}
