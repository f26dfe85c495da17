import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '../db/pool';
import { hashToken } from './token';

/** The first administrator's link lives a day; a restart before it is used prints a new one. */
const SETUP_HOURS = 24;

/** Whether the system still has no administrator who could sign in. */
export async function needsFirstAdmin(q: Db | Tx): Promise<boolean> {
  const { rows } = await q.query(`SELECT 1 FROM accounts WHERE role = 'admin' AND NOT disabled LIMIT 1`);
  return rows.length === 0;
}

/**
 * Issues the one-time setup token of an empty production system (issue 10: the operator had no
 * way in but SQL). Only its hash is stored; earlier unused tokens stop working.
 */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if (!(await needsFirstAdmin(db))) return null;
  const token = randomBytes(24).toString('base64url');
  await db.query(`DELETE FROM setup_tokens WHERE used_at IS NULL`);
  await db.query(`INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, now() + $2 * interval '1 hour')`, [hashToken(token), SETUP_HOURS]);
  return token;
}

/** Spends the token inside the transaction that creates the administrator; false when it is unknown, used or expired. */
export async function spendSetupToken(tx: Tx, token: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE setup_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
    [hashToken(token)],
  );
  return rowCount === 1;
}

/** Whether the token is a live, unused one (checked again when spent, inside the transaction). */
export async function setupTokenValid(q: Db | Tx, token: string): Promise<boolean> {
  const { rows } = await q.query(`SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`, [hashToken(token)]);
  return rows.length === 1;
}
