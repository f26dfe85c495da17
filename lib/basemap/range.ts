/*
 * The Range header of a GET for the PMTiles file (RFC 9110 §14). PMTiles readers ask for one range
 * at a time (the header, a directory, a tile), so one range is what we serve; a list of ranges or a
 * malformed one is refused with 416 rather than answered with the whole file, which can be
 * hundreds of megabytes.
 */

export type ByteRange =
  | { kind: 'whole' }
  /** Inclusive, both within the file. */
  | { kind: 'part'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SPEC = /^(\d{1,15})?-(\d{1,15})?$/;

export function byteRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined || header.trim() === '') return { kind: 'whole' };
  const eq = header.indexOf('=');
  // A unit we do not know is ignored (RFC 9110 §14.2): the whole file.
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== 'bytes') return { kind: 'whole' };
  const spec = header.slice(eq + 1).trim();
  const m = SPEC.exec(spec);
  if (!m || (m[1] === undefined && m[2] === undefined) || size === 0) return { kind: 'unsatisfiable' };
  if (m[1] === undefined) {
    // bytes=-n: the last n bytes.
    const n = Number(m[2]);
    return n === 0 ? { kind: 'unsatisfiable' } : { kind: 'part', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === undefined ? size - 1 : Number(m[2]);
  if (start >= size || last < start) return { kind: 'unsatisfiable' };
  // A range past the end is cut to it: a reader asks for its first 16 KB whatever the file's size.
  return { kind: 'part', start, end: Math.min(last, size - 1) };
}
