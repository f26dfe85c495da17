import { existsSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * Entries of the input stream not yet read by the servers' consumer group (Redis 7 reports it as
 * `lag`); 0 when the group does not exist yet.
 */
export async function streamLag(redis: Redis, stream: string): Promise<number> {
  try {
    const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
    let lag = 0;
    for (const g of groups) {
      const i = g.indexOf('lag');
      if (i >= 0) lag += Number(g[i + 1] ?? 0);
    }
    return lag;
  } catch {
    return 0;
  }
}

/** Deletes every key under the bench's own prefix (streams, latest hash, adapter sessions). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * Keys of earlier bench runs that were killed outright (SIGKILL leaves no chance to clean up):
 * `bench:<pid>:…` whose process no longer exists.
 */
export async function deleteStaleBenchKeys(redis: Redis): Promise<number> {
  const stale = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'bench:*', 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const pid = /^bench:(\d+):/.exec(key)?.[1];
      if (pid && !existsSync(`/proc/${pid}`)) stale.add(`bench:${pid}:`);
    }
  } while (cursor !== '0');
  let deleted = 0;
  for (const prefix of stale) deleted += await deleteKeys(redis, prefix);
  return deleted;
}
