import type { Db, Tx } from '../db/pool';

/** What a committed change tells the screens: the publisher reads each one's state when it sends it. */
export const OUTBOX_KINDS = ['incident', 'dispatch', 'consultation', 'notice', 'warning'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/**
 * Writes messages in the caller's transaction (issue 11): they exist exactly when the change
 * does, and are sent after it commits, however long Redis is away. `refs` are the ids of the
 * events, dispatches, consultations, notifications or warnings concerned.
 */
export async function enqueue(tx: Tx | Db, kind: OutboxKind, refs: readonly number[]): Promise<void> {
  if (refs.length === 0) return;
  await tx.query(`INSERT INTO outbox (kind, ref) SELECT $1, unnest($2::bigint[])`, [kind, [...new Set(refs)]]);
}

/** The rows still to send, for /metrics and the chaos script. */
export async function outboxDepth(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`);
  return rows[0].n;
}
