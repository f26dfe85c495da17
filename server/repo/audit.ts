import type { Db, Tx } from '../db/pool';
import type { Session } from '../auth/session';

export interface AuditEntry {
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
  ip?: string;
}

/** Appends to the audit log; pass the transaction that does the audited change so both commit together. */
export async function audit(q: Db | Tx, who: Pick<Session, 'uid' | 'role'> | null, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (account_id, role, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
    [who && who.uid > 0 ? who.uid : null, who?.role ?? null, e.action, e.target ?? null, e.detail ?? null, e.ip ?? null],
  );
}
