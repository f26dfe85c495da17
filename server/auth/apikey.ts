import type { IncomingMessage } from 'node:http';
import { ExternalSource } from '@/lib/contracts/events';
import type { Db } from '../db/pool';
import { DomainError } from '../errors';
import { hashToken } from './token';

export interface ApiKey {
  id: number;
  source: ExternalSource;
  name: string;
}

const TTL_MS = 30_000;
const cache = new Map<string, { key: ApiKey | null; at: number }>();

/** The bearer token of a request, if it carries one. */
export function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1] : null;
}

/**
 * The source system a key belongs to (S9 intake). Looked up by hash and remembered briefly, so
 * an ingest burst costs no extra query; a revoked key stops working within TTL_MS.
 */
export async function apiKeyOf(db: Db, token: string): Promise<ApiKey> {
  const hash = hashToken(token);
  const hit = cache.get(hash);
  let key = hit && Date.now() - hit.at < TTL_MS ? hit.key : undefined;
  if (key === undefined) {
    const { rows } = await db.query<{ id: number; source: string; name: string }>(
      `UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL RETURNING id, source, name`,
      [hash],
    );
    const parsed = rows[0] && ExternalSource.safeParse(rows[0].source);
    key = parsed && parsed.success ? { id: rows[0].id, source: parsed.data, name: rows[0].name } : null;
    if (cache.size > 1000) cache.clear();
    cache.set(hash, { key, at: Date.now() });
  }
  if (!key) throw new DomainError('unauthorized', 'invalid_api_key', 'API 密钥无效或已吊销');
  return key;
}

/** An Open311 client application's key (issue 14): source 'open311', never one of the event sources. */
export interface Open311Key {
  id: number;
  name: string;
}

const open311Cache = new Map<string, { key: Open311Key | null; at: number }>();

/**
 * The Open311 client a form's api_key belongs to, or null. Kept apart from apiKeyOf: an Open311
 * key files citizens' requests through /open311/v2 and is refused by /api/v1/events (it is no
 * ExternalSource), and an event source's key is refused here.
 */
export async function open311KeyOf(db: Db, token: string): Promise<Open311Key | null> {
  if (token.length > 200) return null;
  const hash = hashToken(token);
  const hit = open311Cache.get(hash);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.key;
  const { rows } = await db.query<Open311Key>(
    `UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL AND source = 'open311' RETURNING id, name`,
    [hash],
  );
  const key = rows[0] ?? null;
  if (open311Cache.size > 1000) open311Cache.clear();
  open311Cache.set(hash, { key, at: Date.now() });
  return key;
}

export async function createApiKey(db: Db, source: ExternalSource, name: string, token: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO api_keys (source, name, key_hash) VALUES ($1, $2, $3) RETURNING id`,
    [source, name, hashToken(token)],
  );
  return rows[0].id;
}

/** After a revocation: this process asks the database again at once (others within TTL_MS). */
export function forgetApiKeys(): void {
  cache.clear();
  open311Cache.clear();
}
