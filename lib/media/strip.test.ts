import { describe, expect, it } from 'vitest';
import { orientationExif, stripMetadata } from './strip';

type Order = 'II' | 'MM';
const text = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
const u16 = (n: number, o: Order) => (o === 'II' ? [n & 0xff, n >> 8] : [n >> 8, n & 0xff]);
const u32 = (n: number, o: Order) => (o === 'II' ? [n, n >> 8, n >> 16, n >>> 24] : [n >>> 24, n >> 16, n >> 8, n]).map((x) => x & 0xff);

/** True when `needle` occurs in `hay`. */
const has = (hay: Uint8Array, needle: Uint8Array) => Buffer.from(hay).indexOf(Buffer.from(needle)) >= 0;

// Nanxun, 30°52'20.25"N 120°25'47.5"E: the rationals a phone writes, findable in any output.
const LAT = [30, 1, 52, 1, 2025, 100];
const LON = [120, 1, 25, 1, 4750, 100];

/** A camera's EXIF TIFF: IFD0 with Make, (Orientation,) a GPS IFD pointer; the GPS IFD with latitude and longitude. */
function exifTiff(o: Order, orientation?: number): { tiff: Uint8Array; gps: Uint8Array } {
  const entry = (tag: number, type: number, count: number, value: number[]) => [...u16(tag, o), ...u16(type, o), ...u32(count, o), ...value];
  const ifd0Entries = 2 + (orientation ? 1 : 0);
  const ifd0Size = 2 + 12 * ifd0Entries + 4;
  const gpsAt = 8 + ifd0Size;
  const gpsSize = 2 + 12 * 4 + 4;
  const valuesAt = gpsAt + gpsSize;
  const ifd0 = [
    ...u16(ifd0Entries, o),
    ...entry(0x010f, 2, 4, [...text('Cam\0')]), // Make, inline
    ...(orientation ? entry(0x0112, 3, 1, [...u16(orientation, o), 0, 0]) : []),
    ...entry(0x8825, 4, 1, u32(gpsAt, o)), // GPSInfo
    ...u32(0, o),
  ];
  const gpsIfd = [
    ...u16(4, o),
    ...entry(1, 2, 2, [...text('N\0\0\0')]),
    ...entry(2, 5, 3, u32(valuesAt, o)),
    ...entry(3, 2, 2, [...text('E\0\0\0')]),
    ...entry(4, 5, 3, u32(valuesAt + 24, o)),
    ...u32(0, o),
  ];
  const values = [...LAT, ...LON].flatMap((n) => u32(n, o));
  const gps = Uint8Array.from([...gpsIfd, ...values]);
  const head = [...text(o), ...u16(42, o), ...u32(8, o)];
  return { tiff: Uint8Array.from([...head, ...ifd0, ...gps]), gps };
}

// ---- JPEG -------------------------------------------------------------------------------------

const seg = (marker: number, payload: Uint8Array) => cat(Uint8Array.of(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff), payload);
const SOI = Uint8Array.of(0xff, 0xd8);
const EOI = Uint8Array.of(0xff, 0xd9);
const app0 = seg(0xe0, cat(text('JFIF\0'), Uint8Array.of(1, 1, 0, 0, 1, 0, 1, 0, 0)));
const icc = seg(0xe2, cat(text('ICC_PROFILE\0'), Uint8Array.of(1, 1), text('fake profile')));
const adobe = seg(0xee, cat(text('Adobe'), Uint8Array.of(0, 100, 0, 0, 0, 0, 1)));
const dqt = seg(0xdb, Uint8Array.from({ length: 65 }, (_, i) => i));
const sof = seg(0xc0, Uint8Array.of(8, 0, 16, 0, 16, 1, 1, 0x11, 0));
// A Huffman table whose values contain FF D9: it must be skipped by its length, not taken for EOI.
const dht = seg(0xc4, Uint8Array.of(0x00, 0, 2, ...Array(14).fill(0), 0xff, 0xd9));
const sos = seg(0xda, Uint8Array.of(1, 1, 0, 0, 63, 0));
/** Entropy-coded data: stuffed 0xFF 0x00 and a restart marker, both part of the picture. */
const scan = Uint8Array.of(0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0x78, 0x9a);
/** Everything from the first SOS to EOI, which must come out byte for byte. */
const picture = cat(sos, scan, dht, sos, scan, EOI);

function cameraJpeg(o: Order, orientation?: number) {
  const { tiff, gps } = exifTiff(o, orientation);
  const exif = seg(0xe1, cat(text('Exif\0\0'), tiff));
  const xmp = seg(0xe1, cat(text('http://ns.adobe.com/xap/1.0/\0'), text('<x:xmpmeta><exif:GPSLatitude>30,52.3375N</exif:GPSLatitude></x:xmpmeta>')));
  const iptc = seg(0xed, cat(text('Photoshop 3.0\0'), text('8BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x5a\0\x06Huzhou')));
  const mpf = seg(0xe2, cat(text('MPF\0'), text('MM\0*')));
  const com = seg(0xfe, text('shot by gridder Wang at home'));
  // Trailers after EOI (multi-picture previews) carry a second EXIF with the same position.
  const trailer = cat(SOI, exif, EOI);
  const file = cat(SOI, app0, exif, xmp, icc, iptc, mpf, adobe, com, dqt, sof, dht, picture, trailer);
  return { file, gps, exif, xmp, iptc, com, mpf };
}

function stripped(bytes: Uint8Array, mime: 'image/jpeg' | 'image/png' | 'image/webp') {
  const r = stripMetadata(bytes, mime);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.bytes;
}

describe('stripMetadata: JPEG', () => {
  it('drops EXIF with its GPS, XMP, IPTC, comments and foreign APPn; keeps JFIF, ICC, Adobe, tables and the picture', () => {
    const cam = cameraJpeg('MM');
    const out = stripped(cam.file, 'image/jpeg');
    for (const gone of [cam.gps, cam.exif, cam.xmp, cam.iptc, cam.com, cam.mpf, text('Exif'), text('GPS'), text('Huzhou'), text('Cam\0')])
      expect(has(out, gone)).toBe(false);
    // What stays is exactly the allowed segments, in order, and the picture byte for byte.
    expect(Buffer.from(out).equals(Buffer.from(cat(SOI, app0, icc, adobe, dqt, sof, dht, picture)))).toBe(true);
  });

  it('keeps the Orientation of a phone photo in a minimal EXIF after JFIF, in the byte order it came in', () => {
    for (const o of ['MM', 'II'] as const) {
      const out = stripped(cameraJpeg(o, 6).file, 'image/jpeg');
      const minimal = orientationExif(6, o);
      expect(Buffer.from(out).equals(Buffer.from(cat(SOI, app0, minimal, icc, adobe, dqt, sof, dht, picture)))).toBe(true);
      expect(has(out, cameraJpeg(o, 6).gps)).toBe(false);
    }
    // Without JFIF the EXIF comes straight after SOI.
    const { tiff } = exifTiff('II', 8);
    const noJfif = cat(SOI, seg(0xe1, cat(text('Exif\0\0'), tiff)), dqt, sof, picture);
    expect(Buffer.from(stripped(noJfif, 'image/jpeg')).equals(Buffer.from(cat(SOI, orientationExif(8, 'II'), dqt, sof, picture)))).toBe(true);
  });

  it('writes a well-formed TIFF holding Orientation alone', () => {
    const app1 = orientationExif(6, 'II');
    expect(app1.length).toBe(2 + 2 + 6 + 26);
    expect([app1[2], app1[3]]).toEqual([0, 34]);
    const tiff = Buffer.from(app1.subarray(10));
    expect(tiff.toString('latin1', 0, 2)).toBe('II');
    expect(tiff.readUInt16LE(2)).toBe(42);
    expect(tiff.readUInt32LE(4)).toBe(8);
    expect(tiff.readUInt16LE(8)).toBe(1);
    expect([tiff.readUInt16LE(10), tiff.readUInt16LE(12), tiff.readUInt32LE(14), tiff.readUInt16LE(18)]).toEqual([0x0112, 3, 1, 6]);
    expect(tiff.readUInt32LE(22)).toBe(0);
    const be = Buffer.from(orientationExif(3, 'MM').subarray(10));
    expect([be.toString('latin1', 0, 2), be.readUInt16BE(2), be.readUInt16BE(10), be.readUInt16BE(18)]).toEqual(['MM', 42, 0x0112, 3]);
  });

  it('writes no EXIF back when the orientation is normal or unreadable', () => {
    expect(has(stripped(cameraJpeg('II', 1).file, 'image/jpeg'), text('Exif'))).toBe(false);
    const broken = cat(SOI, seg(0xe1, cat(text('Exif\0\0'), text('XX\0*garbage'))), dqt, sof, picture);
    expect(Buffer.from(stripped(broken, 'image/jpeg')).equals(Buffer.from(cat(SOI, dqt, sof, picture)))).toBe(true);
  });

  it('gives a clean JPEG back unchanged, fill bytes before markers included', () => {
    const clean = cat(SOI, app0, dqt, sof, dht, picture);
    expect(Buffer.from(stripped(clean, 'image/jpeg')).equals(Buffer.from(clean))).toBe(true);
    const padded = cat(SOI, Uint8Array.of(0xff, 0xff), dqt, sof, picture);
    expect(stripMetadata(padded, 'image/jpeg').ok).toBe(true);
  });

  it('refuses every truncation, a segment running past the end and a missing SOI', () => {
    const { file } = cameraJpeg('MM', 6);
    const end = file.length - cat(SOI, cameraJpeg('MM', 6).exif, EOI).length; // the trailer is not needed
    for (let cut = 0; cut < end; cut++) {
      const r = stripMetadata(file.subarray(0, cut), 'image/jpeg');
      expect(r.ok, `cut at ${cut}`).toBe(false);
    }
    const r = stripMetadata(cat(SOI, Uint8Array.of(0xff, 0xe1, 0xff, 0xf0), text('Exif\0\0MM')), 'image/jpeg');
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('截断') });
    expect(stripMetadata(cat(text('xx'), dqt, picture), 'image/jpeg').ok).toBe(false);
    expect(stripMetadata(cat(SOI, dqt, sos, scan), 'image/jpeg')).toEqual({ ok: false, reason: expect.stringContaining('结束标记') });
  });
});

// ---- PNG --------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Uint8Array {
  const body = cat(text(type), data);
  return cat(Uint8Array.from(u32(data.length, 'MM')), body, Uint8Array.from(u32(crc32(body), 'MM')));
}
const PNG_SIG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const ihdr = chunk('IHDR', Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0));
const iccp = chunk('iCCP', cat(text('sRGB\0\0'), Uint8Array.of(0x78, 0x9c, 3, 0)));
const idat = chunk('IDAT', Uint8Array.of(0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0, 0, 3, 1, 1, 0));
const iend = chunk('IEND', new Uint8Array());

describe('stripMetadata: PNG', () => {
  it('drops eXIf, tEXt, iTXt, zTXt and tIME and anything after IEND; keeps the rest byte for byte', () => {
    const { tiff, gps } = exifTiff('MM', 6);
    const meta = [
      chunk('eXIf', tiff),
      chunk('tEXt', text('Comment\0at 30.87N 120.43E')),
      chunk('iTXt', text('XML:com.adobe.xmp\0\0\0\0\0<exif:GPSLatitude/>')),
      chunk('zTXt', text('Author\0\0xx')),
      chunk('tIME', Uint8Array.of(0x07, 0xe8, 5, 1, 12, 0, 0)),
    ];
    const file = cat(PNG_SIG, ihdr, meta[0], iccp, meta[1], idat, meta[2], meta[3], meta[4], iend, chunk('tEXt', text('after the end')));
    const out = stripped(file, 'image/png');
    expect(Buffer.from(out).equals(Buffer.from(cat(PNG_SIG, ihdr, iccp, idat, iend)))).toBe(true);
    for (const gone of [gps, text('30.87N'), text('GPSLatitude'), text('Author'), text('after the end')]) expect(has(out, gone)).toBe(false);
  });

  it('gives a clean PNG back unchanged', () => {
    const clean = cat(PNG_SIG, ihdr, iccp, idat, iend);
    expect(Buffer.from(stripped(clean, 'image/png')).equals(Buffer.from(clean))).toBe(true);
  });

  it('refuses every truncation and a chunk that is not one', () => {
    const file = cat(PNG_SIG, ihdr, chunk('tEXt', text('k\0v')), idat, iend);
    for (let cut = 0; cut < file.length; cut++) expect(stripMetadata(file.subarray(0, cut), 'image/png').ok, `cut at ${cut}`).toBe(false);
    const long = cat(PNG_SIG, ihdr, Uint8Array.from([0xff, 0xff, 0xff, 0xf0]), text('IDAT'), idat, iend);
    expect(stripMetadata(long, 'image/png').ok).toBe(false);
    expect(stripMetadata(cat(PNG_SIG, ihdr, chunk('ID\0T', text('x')), iend), 'image/png').ok).toBe(false);
  });
});

// ---- WebP -------------------------------------------------------------------------------------

const le32 = (n: number) => Uint8Array.from(u32(n, 'II'));
const rchunk = (type: string, data: Uint8Array) => cat(text(type), le32(data.length), data, data.length % 2 ? Uint8Array.of(0) : new Uint8Array());
const riff = (...chunks: Uint8Array[]) => {
  const body = cat(text('WEBP'), ...chunks);
  return cat(text('RIFF'), le32(body.length), body);
};
const ICC = 0x20;
const EXIF = 0x08;
const XMP = 0x04;
const vp8x = (flags: number) => rchunk('VP8X', Uint8Array.of(flags, 0, 0, 0, 0, 0, 0, 0, 0, 0));
const vp8 = rchunk('VP8 ', Uint8Array.of(0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 1, 0, 1, 0, 0xff)); // odd: padded

describe('stripMetadata: WebP', () => {
  it('drops EXIF and XMP, clears their VP8X flags, keeps ICC and the bitstream, fixes the RIFF size', () => {
    const { tiff, gps } = exifTiff('II', 6);
    const file = riff(vp8x(ICC | EXIF | XMP), rchunk('ICCP', text('fake profile')), vp8, rchunk('EXIF', tiff), rchunk('XMP ', text('<exif:GPSLatitude/>')));
    const out = stripped(cat(file, text('trailing')), 'image/webp');
    expect(Buffer.from(out).equals(Buffer.from(riff(vp8x(ICC), rchunk('ICCP', text('fake profile')), vp8)))).toBe(true);
    expect(Buffer.from(out).readUInt32LE(4)).toBe(out.length - 8);
    for (const gone of [gps, text('GPSLatitude'), text('EXIF'), text('trailing')]) expect(has(out, gone)).toBe(false);
  });

  it('gives a clean WebP back unchanged, simple or extended', () => {
    for (const clean of [riff(vp8), riff(vp8x(ICC), rchunk('ICCP', text('p')), vp8)])
      expect(Buffer.from(stripped(clean, 'image/webp')).equals(Buffer.from(clean))).toBe(true);
  });

  it('refuses every truncation, a chunk running past RIFF and a file of metadata only', () => {
    const file = riff(vp8x(EXIF), vp8, rchunk('EXIF', exifTiff('II').tiff));
    for (let cut = 0; cut < file.length; cut++) expect(stripMetadata(file.subarray(0, cut), 'image/webp').ok, `cut at ${cut}`).toBe(false);
    const lying = riff(cat(text('VP8 '), le32(1000), Uint8Array.of(1, 2)));
    expect(stripMetadata(lying, 'image/webp').ok).toBe(false);
    expect(stripMetadata(riff(), 'image/webp').ok).toBe(false);
  });
});
