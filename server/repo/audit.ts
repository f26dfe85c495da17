import type { Db, Tx } from '../db/pool';
import type { Session } from '../auth/session';

export interface AuditEntry {
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
  ip?: string;
}

/** Who acted, when no account did (issue 14): a resident on /m, or an Open311 client application by its key. */
export interface NonStaff {
  uid: 0;
  role: 'citizen' | 'open311';
}

/** Appends to the audit log; pass the transaction that does the audited change so both commit together. */
export async function audit(q: Db | Tx, who: Pick<Session, 'uid' | 'role'> | NonStaff | null, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (account_id, role, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
    [who && who.uid > 0 ? who.uid : null, who?.role ?? null, e.action, e.target ?? null, e.detail ?? null, e.ip ?? null],
  );
}

const lastRefusal = new Map<string, number>();
const REFUSAL_EVERY_MS = 60_000;

/**
 * An anonymous refusal (a wrong display or device token) is written at most once a minute per
 * action and address: the log is append-only, so a loop of bad requests must not be able to
 * fill it (issue 10 review). The first of each minute is enough to see who is knocking.
 */
export async function auditRefusal(q: Db | Tx, e: AuditEntry & { ip: string }): Promise<void> {
  const key = `${e.action} ${e.ip}`;
  const now = Date.now();
  const last = lastRefusal.get(key);
  if (last !== undefined && now - last < REFUSAL_EVERY_MS) return;
  if (lastRefusal.size > 10_000) lastRefusal.clear();
  lastRefusal.set(key, now);
  await audit(q, null, e);
}
