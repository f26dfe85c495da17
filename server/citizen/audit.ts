import type { Db, Tx } from '../db/pool';
import type { AuditEntry } from '../repo/audit';

/**
 * A resident's action in the audit log (issue 14): no account, role 'citizen' (or 'open311' when a
 * client application posted it, in the same commit as the request), and a detail that names the
 * request (code, kind, event, address) but never the resident's name or phone (S14).
 */
export async function auditCitizen(q: Db | Tx, e: AuditEntry, role: 'citizen' | 'open311' = 'citizen'): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (account_id, role, action, target, detail, ip) VALUES (NULL, $5, $1, $2, $3, $4)`,
    [e.action, e.target ?? null, e.detail ?? null, e.ip ?? null, role],
  );
}
