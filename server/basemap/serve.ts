import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { byteRange } from '@/lib/basemap/range';
import { DomainError } from '../errors';

/** Where a configured PMTiles file lives: only ever DATA_DIR/basemap/<name>, the name checked at start (lib/basemap/settings.ts). */
export function basemapFile(dataDir: string, name: string): string {
  return path.join(dataDir, 'basemap', name);
}

/*
 * A file may be replaced while screens read it (a new extract copied in): the ETag follows its size
 * and time, so a PMTiles reader that sees it change drops what it cached of the old one.
 */
function etagOf(size: number, mtimeMs: number): string {
  return `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
}

/**
 * Answers a GET for the file with byte ranges (RFC 9110 §14): 206 with Content-Range for one range,
 * 200 for the whole, 304 when the whole is cached, 416 with the size for a range it cannot serve.
 */
export async function serveRanges(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new DomainError('not_found', 'not_found', '底图文件不存在（DATA_DIR/basemap/ 下）');
  const etag = etagOf(info.size, info.mtimeMs);
  const common = {
    'accept-ranges': 'bytes',
    etag,
    'last-modified': info.mtime.toUTCString(),
    // Screens revalidate now and then; an unchanged file costs a 304 or a range, never the whole.
    'cache-control': 'private, max-age=300',
  };
  // If-Range with another validator: the client's copy is stale, so it gets the whole file (RFC 9110 §13.1.5).
  const ifRange = req.headers['if-range'];
  const range = ifRange !== undefined && ifRange !== etag ? { kind: 'whole' as const } : byteRange(req.headers.range, info.size);
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'content-range': `bytes */${info.size}`, 'content-length': 0 }).end();
    return;
  }
  if (range.kind === 'whole' && req.headers['if-none-match'] === etag) {
    res.writeHead(304, common).end();
    return;
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, info.size - 1];
  res.writeHead(range.kind === 'part' ? 206 : 200, {
    ...common,
    'content-type': 'application/vnd.pmtiles',
    'content-length': end - start + 1,
    ...(range.kind === 'part' ? { 'content-range': `bytes ${start}-${end}/${info.size}` } : {}),
  });
  if (end < start) return void res.end();
  await pipeline(createReadStream(file, { start, end }), res);
}
