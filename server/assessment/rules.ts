import { reachOf } from '@/lib/access/scope';
import { ASSESSMENT_READERS } from '@/lib/assessment/rules';
import type { ActivateInputV1, RuleSetInputV1, RuleSetRecordV1, RuleSetState, RuleSetV1 } from '@/lib/contracts/assessment';
import type { Session } from '../auth/session';
import { claimRequest, finishRequest } from '../command/requests';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { DomainError, forbidden } from '../errors';
import { audit } from '../repo/audit';

/*
 * 考评细则 (issue 15 point 1; S13, S14): load, store and activate the year's rule sets. The rules
 * are district-wide reference data: the district (PERMISSIONS.editAssessment) writes them, the
 * district roles and the station leaders read them (ASSESSMENT_READERS). Scope (lib/access/scope):
 * a writer must reach the whole district — the permission's roles all do, and the check below holds
 * that if the permission ever grows a station role.
 */

/** Serialises new versions of one year, so two drafts at once get versions n and n+1 rather than a unique violation. */
const VERSION_LOCK = 7_305_021;

const COLUMNS = `r.id, r.year, r.version, r.name, r.state, r.created_by AS "createdBy", a.display_name AS "createdByName",
  to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(r.activated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "activatedAt"`;
const FROM = `FROM assessment_rule_sets r LEFT JOIN accounts a ON a.id = r.created_by`;

const notFound = (id: number) => new DomainError('not_found', 'not_found', `考评细则 ${id} 不存在`);

/** Reading: the district roles and the station leaders (403 to anyone else, a wall included). */
export function checkReader(session: Session): void {
  if (!ASSESSMENT_READERS.includes(session.role)) throw forbidden();
}

/** Writing: the permission (checked by the router) and a district-wide reach. */
function checkWriter(session: Session): void {
  if (reachOf({ role: session.role, stationId: session.stationId, department: null }).kind !== 'district') throw forbidden();
}

export async function listRuleSets(db: Db, year?: number): Promise<RuleSetRecordV1[]> {
  const { rows } = await db.query<RuleSetRecordV1>(
    `SELECT ${COLUMNS} ${FROM} WHERE $1::int IS NULL OR r.year = $1 ORDER BY r.year DESC, r.version DESC`,
    [year ?? null],
  );
  return rows;
}

export async function ruleSet(db: Db | Tx, id: number): Promise<RuleSetRecordV1> {
  const { rows } = await db.query<RuleSetRecordV1>(`SELECT ${COLUMNS}, r.body ${FROM} WHERE r.id = $1`, [id]);
  if (!rows[0]) throw notFound(id);
  return rows[0];
}

/** The year's active rules, or null (for the scoring job, next). */
export async function activeRuleSet(db: Db | Tx, year: number): Promise<RuleSetRecordV1 | null> {
  const { rows } = await db.query<RuleSetRecordV1>(`SELECT ${COLUMNS}, r.body ${FROM} WHERE r.year = $1 AND r.state = 'active'`, [year]);
  return rows[0] ?? null;
}

/**
 * A new version of the year's rules, as a draft (the contract has refused what is wrong, naming the
 * field). The same requestKey again answers the first version made with it instead of another.
 */
export async function createRuleSet(db: Db, session: Session, input: RuleSetInputV1, ip?: string): Promise<{ record: RuleSetRecordV1; created: boolean }> {
  checkWriter(session);
  const { requestKey, ...rest } = input;
  // Stored as the contract gave it back: trimmed, and nothing but the rule set's own fields.
  const body: RuleSetV1 = rest;
  return inTransaction(db, async (tx) => {
    const { replay } = await claimRequest<{ id: number }>(tx, requestKey, session.uid, 'assessment.rules.create');
    if (replay) return { record: await ruleSet(tx, replay.id), created: false };
    await tx.query(`SELECT pg_advisory_xact_lock($1, $2)`, [VERSION_LOCK, body.year]);
    const { rows } = await tx.query<{ id: number; version: number }>(
      `INSERT INTO assessment_rule_sets (year, version, name, body, created_by)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4 FROM assessment_rule_sets WHERE year = $1
       RETURNING id, version`,
      [body.year, body.name, JSON.stringify(body), session.uid],
    );
    const { id, version } = rows[0];
    await audit(tx, session, {
      action: 'assessment.rules.create', target: `assessment_rules:${id}`,
      detail: { year: body.year, version, name: body.name, items: body.items.length }, ip,
    });
    await finishRequest(tx, requestKey, { id });
    return { record: await ruleSet(tx, id), created: true };
  });
}

/**
 * Makes a version the year's rules: the active one of that year (if another) is retired in the same
 * transaction, so a year never has two (the partial unique index holds it too). A draft or a retired
 * version (going back to earlier rules) may be activated; activating the active one changes
 * nothing. The same requestKey again answers as the first time, with nothing done twice.
 */
export async function activateRuleSet(db: Db, session: Session, id: number, input: ActivateInputV1, ip?: string): Promise<{ record: RuleSetRecordV1; changed: boolean }> {
  checkWriter(session);
  return inTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ year: number; version: number; state: RuleSetState }>(
      `SELECT year, version, state FROM assessment_rule_sets WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const target = rows[0];
    if (!target) throw notFound(id);
    const { replay } = await claimRequest<{ id: number }>(tx, input.requestKey, session.uid, 'assessment.rules.activate');
    if (replay) {
      if (replay.id !== id)
        throw new DomainError('conflict', 'request_key_reused', '请求编号已用于另一版考评细则', [{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);
      return { record: await ruleSet(tx, id), changed: false };
    }
    if (target.state === 'active') {
      await finishRequest(tx, input.requestKey, { id });
      return { record: await ruleSet(tx, id), changed: false };
    }
    // The year's lock first, as a new version takes it: the retire-then-activate pair sees every version of the year.
    await tx.query(`SELECT pg_advisory_xact_lock($1, $2)`, [VERSION_LOCK, target.year]);
    const { rows: retired } = await tx.query<{ id: number; version: number }>(
      `UPDATE assessment_rule_sets SET state = 'retired' WHERE year = $1 AND state = 'active' RETURNING id, version`,
      [target.year],
    );
    await tx.query(`UPDATE assessment_rule_sets SET state = 'active', activated_at = now() WHERE id = $1`, [id]);
    await audit(tx, session, {
      action: 'assessment.rules.activate', target: `assessment_rules:${id}`,
      detail: { year: target.year, version: target.version, from: target.state, retired: retired.map((r) => r.version) }, ip,
    });
    await finishRequest(tx, input.requestKey, { id });
    return { record: await ruleSet(tx, id), changed: true };
  });
}
