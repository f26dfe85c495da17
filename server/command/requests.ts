import type { Tx } from '../db/pool';
import { DomainError } from '../errors';

/**
 * A click's request key, claimed inside the transaction that does the work. A second request with
 * the same key waits on the first's row lock and then reads its answer; if the first rolled back,
 * the second does the work itself. Keys are per account: someone else's key is refused.
 */
export async function claimRequest<T>(tx: Tx, key: string, accountId: number | null, kind: string): Promise<{ replay: T | null }> {
  const { rows } = await tx.query(
    `INSERT INTO command_requests (request_key, account_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING request_key`,
    [key, accountId, kind],
  );
  if (rows.length) return { replay: null };
  const { rows: had } = await tx.query<{ account_id: number | null; kind: string; result: T | null }>(
    `SELECT account_id, kind, result FROM command_requests WHERE request_key = $1`,
    [key],
  );
  const first = had[0];
  if (!first || first.account_id !== accountId || first.kind !== kind || first.result === null)
    throw new DomainError('conflict', 'request_key_reused', '请求编号已用于另一项操作', [{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);
  return { replay: first.result };
}

export async function finishRequest(tx: Tx, key: string, result: unknown): Promise<void> {
  await tx.query(`UPDATE command_requests SET result = $2 WHERE request_key = $1`, [key, JSON.stringify(result)]);
}
