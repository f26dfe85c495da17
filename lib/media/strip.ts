/**
 * Removes the metadata a camera or phone writes into a photo — GPS position, device, owner, time,
 * comments — before the photo is stored: a reported photo of a doorway must not tell every
 * reader where the gridder lives. The picture itself is copied byte for byte, never re-encoded.
 *
 * A file whose structure does not hold together (a segment running past the end, no end marker)
 * is refused rather than passed through: we cannot know what it carries.
 */
import type { ImageMime } from './sniff';

export type StripResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

export function stripMetadata(bytes: Uint8Array, mime: ImageMime): StripResult {
  try {
    return { ok: true, bytes: mime === 'image/jpeg' ? stripJpeg(bytes) : mime === 'image/png' ? stripPng(bytes) : stripWebp(bytes) };
  } catch (err) {
    if (err instanceof Malformed) return { ok: false, reason: err.message };
    throw err;
  }
}

class Malformed extends Error {}

function need(ok: boolean, reason: string): asserts ok {
  if (!ok) throw new Malformed(reason);
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---- JPEG -------------------------------------------------------------------------------------

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;

/**
 * APPn segments that change how the pixels look (JFIF density, colour space, ICC profile); all
 * other APPn and COM are metadata. Not JFXX either: its thumbnail is a JPEG that may hold EXIF.
 */
function keepsApp(marker: number, seg: Uint8Array): boolean {
  const id = (s: string) => ascii(seg, 4, s.length) === s;
  if (marker === APP0) return id('JFIF\0');
  if (marker === APP2) return id('ICC_PROFILE\0');
  if (marker === APP14) return id('Adobe');
  return false;
}

function stripJpeg(b: Uint8Array): Uint8Array {
  need(b.length >= 4 && b[0] === 0xff && b[1] === SOI, 'JPEG 缺少起始标记');
  const kept: Uint8Array[] = [];
  let orientation: Orientation | null = null;
  let at = 2;
  for (;;) {
    // Any number of 0xFF may pad before a marker (B.1.1.2).
    while (b[at] === 0xff && b[at + 1] === 0xff) at++;
    need(at + 4 <= b.length && b[at] === 0xff, 'JPEG 段结构损坏或被截断');
    const marker = b[at + 1];
    const len = (b[at + 2] << 8) | b[at + 3];
    need(marker !== EOI && len >= 2 && at + 2 + len <= b.length, 'JPEG 段结构损坏或被截断');
    const seg = b.subarray(at, at + 2 + len);
    if (marker === SOS) {
      // The scans and whatever sits between them are the picture: copied as they are up to EOI.
      // What follows EOI (multi-picture previews, vendor trailers) carries its own EXIF and is dropped.
      const end = endOfImage(b, at + 2 + len);
      // Without its Orientation a phone photo shows on its side; JFIF wants APP0 first, so after it.
      if (orientation && orientation.value !== 1) kept.splice(kept[0]?.[1] === APP0 ? 1 : 0, 0, orientationExif(orientation.value, orientation.order));
      return concat([b.subarray(0, 2), ...kept, b.subarray(at, end)]);
    }
    if (marker === APP1 && !orientation && ascii(seg, 4, 6) === 'Exif\0\0') orientation = readOrientation(seg.subarray(10));
    if (marker !== COM && ((marker & 0xf0) !== 0xe0 || keepsApp(marker, seg))) kept.push(seg);
    at += 2 + len;
  }
}

/**
 * Where the image ends: just past EOI. Inside entropy-coded data a 0xFF is always followed by a
 * stuffed 0x00 or a restart marker, so the first other marker is real; between progressive
 * scans come whole segments (DHT, SOS …) that are skipped by their length.
 */
function endOfImage(b: Uint8Array, at: number): number {
  for (at = b.indexOf(0xff, at); at >= 0 && at + 1 < b.length; at = b.indexOf(0xff, at)) {
    const next = b[at + 1];
    if (next === 0 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) {
      at++;
      continue;
    }
    if (next === EOI) return at + 2;
    need(at + 4 <= b.length, 'JPEG 图像数据被截断');
    const len = (b[at + 2] << 8) | b[at + 3];
    need(len >= 2 && at + 2 + len <= b.length, 'JPEG 段结构损坏或被截断');
    at += 2 + len;
  }
  throw new Malformed('JPEG 图像数据被截断（缺少结束标记）');
}

const ORIENTATION_TAG = 0x0112;

type ByteOrder = 'II' | 'MM';
interface Orientation {
  value: number;
  order: ByteOrder;
}

/**
 * The Orientation of IFD0 in an EXIF TIFF block and its byte order; null when absent or unreadable.
 * An unreadable EXIF is no reason to refuse the photo: it is dropped whole either way.
 */
function readOrientation(tiff: Uint8Array): Orientation | null {
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const le = order === 'II';
  if (tiff.length < 8 || view.getUint16(2, le) !== 42) return null;
  const ifd = view.getUint32(4, le);
  if (ifd + 2 > tiff.length) return null;
  const count = view.getUint16(ifd, le);
  for (let i = 0; i < count && ifd + 2 + 12 * (i + 1) <= tiff.length; i++) {
    const e = ifd + 2 + 12 * i;
    if (view.getUint16(e, le) !== ORIENTATION_TAG) continue;
    const value = view.getUint16(e + 8, le);
    return value >= 1 && value <= 8 ? { value, order } : null;
  }
  return null;
}

/** An APP1 holding an EXIF TIFF with one IFD0 entry, Orientation, and nothing else. */
export function orientationExif(orientation: number, order: ByteOrder = 'MM'): Uint8Array {
  const tiff = new DataView(new ArrayBuffer(26));
  const le = order === 'II';
  tiff.setUint16(0, le ? 0x4949 : 0x4d4d);
  tiff.setUint16(2, 42, le);
  tiff.setUint32(4, 8, le); // IFD0 right after the header
  tiff.setUint16(8, 1, le); // one entry
  tiff.setUint16(10, ORIENTATION_TAG, le);
  tiff.setUint16(12, 3, le); // SHORT
  tiff.setUint32(14, 1, le); // count
  tiff.setUint16(18, orientation, le); // left-justified in the 4-byte value field
  // bytes 22..25: no next IFD
  const payload = concat([new TextEncoder().encode('Exif\0\0'), new Uint8Array(tiff.buffer)]);
  return concat([Uint8Array.of(0xff, APP1, 0, payload.length + 2), payload]);
}

// ---- PNG --------------------------------------------------------------------------------------

const PNG_DROP = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME']);

function stripPng(b: Uint8Array): Uint8Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const kept: Uint8Array[] = [b.subarray(0, 8)];
  let at = 8;
  for (;;) {
    need(at + 12 <= b.length, 'PNG 数据块被截断（缺少 IEND）');
    const len = view.getUint32(at);
    const type = ascii(b, at + 4, 4);
    need(/^[A-Za-z]{4}$/.test(type) && len < 2 ** 31 && at + 12 + len <= b.length, 'PNG 数据块结构损坏或被截断');
    if (!PNG_DROP.has(type)) kept.push(b.subarray(at, at + 12 + len));
    at += 12 + len;
    // Bytes after IEND are no part of the image and may carry anything.
    if (type === 'IEND') return concat(kept);
  }
}

// ---- WebP -------------------------------------------------------------------------------------

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function stripWebp(b: Uint8Array): Uint8Array {
  need(b.length >= 12, 'WebP 文件头被截断');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const end = 8 + view.getUint32(4, true);
  need(end <= b.length && end % 2 === 0, 'WebP 文件被截断（RIFF 长度超出实际）');
  const kept: Uint8Array[] = [];
  for (let at = 12; at < end; ) {
    need(at + 8 <= end, 'WebP 数据块被截断');
    const type = ascii(b, at, 4);
    const size = view.getUint32(at + 4, true);
    const padded = size + (size & 1);
    need(at + 8 + padded <= end, 'WebP 数据块结构损坏或被截断');
    const chunk = b.subarray(at, at + 8 + padded);
    if (type === 'VP8X') {
      need(size >= 10, 'WebP VP8X 数据块过短');
      const copy = chunk.slice();
      copy[8] &= ~(VP8X_EXIF | VP8X_XMP);
      kept.push(copy);
    } else if (type !== 'EXIF' && type !== 'XMP ') kept.push(chunk);
    at += 8 + padded;
  }
  need(kept.length > 0, 'WebP 文件没有图像数据');
  const out = concat([b.subarray(0, 12), ...kept]);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}
