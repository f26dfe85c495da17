import { z } from 'zod';
import { AccountInput, AccountPatch, PasswordReset, PersonInput } from '@/lib/contracts/master';
import { DISTRICT_ROLES } from '@/lib/roles';
import { hashPassword } from '../../auth/password';
import type { Session } from '../../auth/session';
import type { AppContext } from '../../context';
import { inTransaction, type Tx } from '../../db/pool';
import { reachOfSession } from '../../events/viewer';
import { mayManageStation, notFound, refused, stationOfPerson } from '../../master/guard';
import { checkPeople, insertPeople, listPeople, updatePerson } from '../../master/people';
import { audit } from '../../repo/audit';
import { DomainError } from '../../errors';
import { readBody, readQuery, type Ctx, type Router } from '../router';

// Serial (int4) ids: a larger one reached PostgreSQL as an out-of-range error (issue 11 fuzzing).
const Id = z.coerce.number().int().positive().max(2 ** 31 - 1);
function idOf(ctx: Ctx, what: string): number {
  const parsed = Id.safeParse(ctx.params.id);
  if (!parsed.success) throw new DomainError('invalid', 'invalid', `${what}编号无效`, [{ path: 'params.id', message: '须为正整数' }]);
  return parsed.data;
}

// Bounded by the column (int4): a larger id used to reach PostgreSQL as an out-of-range error.
const StationQuery = z.object({ station: z.coerce.number().int().positive().max(2 ** 31 - 1).optional() });
const Empty = z.object({}).strict();
const CREATED = { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] };
const ENDED = { type: 'object', properties: { id: { type: 'integer' }, sessionsEnded: { type: 'integer', description: '随之结束的会话数' } }, required: ['id', 'sessionsEnded'] };
const SCOPE = '管理员管理全区的；站长、常务副站长只管理本站的。';

/** A person of no station (district staff) is the administrator's alone. */
function mayManagePerson(s: Session, stationId: number | null): void {
  if (stationId === null) {
    if (s.role !== 'admin') throw notFound('人员');
  } else mayManageStation(s, stationId);
}

async function checkOne(tx: Tx, p: PersonInput): Promise<void> {
  const [issue] = await checkPeople(tx, [p]);
  if (issue) throw refused(`body.${issue.field}`, issue.message);
}

/** The account of `id` with its person's station, locked for the change. */
async function accountFor(tx: Tx, s: Session, id: number): Promise<{ stationId: number | null; role: string }> {
  const { rows } = await tx.query<{ stationId: number | null; role: string }>(
    `SELECT a.station_id AS "stationId", a.role FROM accounts a WHERE a.id = $1 FOR UPDATE`,
    [id],
  );
  if (!rows[0]) throw notFound(`账号 ${id} `);
  mayManagePerson(s, rows[0].stationId);
  return rows[0];
}

/**
 * District roles, and the administrator's own, are given by the administrator alone; a station's
 * leaders give their own station's roles, and only roles the person holds there (S6, S7).
 */
async function checkRole(tx: Tx, s: Session, personId: number, role: string): Promise<void> {
  if ((DISTRICT_ROLES as readonly string[]).includes(role)) {
    if (s.role !== 'admin') throw refused('body.role', '区级角色只能由系统管理员授予');
    return;
  }
  const { rows } = await tx.query(`SELECT 1 FROM person_roles WHERE person_id = $1 AND role = $2`, [personId, role]);
  if (!rows[0]) throw refused('body.role', '账号角色须是该人员在站内的角色之一');
}

/** People and their accounts (issue 10, S6): the administrator, and a station's leaders for their station. */
export function peopleRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/people', 'manageStation', {
    doc: { summary: '人员', description: `含电话号码：每次读取都记入审计日志。${SCOPE}`, query: StationQuery, response: { type: 'array', items: { type: 'object' } } },
  }, async ({ session, url, ip }) => {
    const { station } = readQuery(url, StationQuery);
    const rows = await listPeople(app.db, await reachOfSession(app.db, session!), station ?? null);
    // Phones are personal data: who read them, and whose, is on record.
    await audit(app.db, session, { action: 'people.read', detail: { station: station ?? null, count: rows.length, phones: true }, ip });
    return { body: rows };
  });

  router.add('POST', '/api/v1/people', 'manageStation', {
    doc: { summary: '新建人员', description: SCOPE, body: PersonInput, responses: { 201: { description: '已新建', schema: CREATED } }, errors: { 422: '部门、网格或角色无效' } },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, PersonInput);
    mayManagePerson(session!, input.stationId);
    const id = await inTransaction(app.db, async (tx) => {
      await checkOne(tx, input);
      const [pid] = await insertPeople(tx, [input]);
      await audit(tx, session, { action: 'person.create', target: `person:${pid}`, detail: { ...input, phone: input.phone ? '***' : null }, ip });
      return pid;
    });
    return { status: 201, body: { id } };
  });

  router.add('PUT', '/api/v1/people/:id', 'manageStation', {
    doc: {
      summary: '修改人员',
      description: `整条替换。人员的账号随之调动，会话全部结束；失去所持角色的账号被停用。${SCOPE}`,
      body: PersonInput,
      response: CREATED,
      errors: { 422: '部门、网格或角色无效' },
    },
  }, async (ctx) => {
    const id = idOf(ctx, '人员');
    const input = await readBody(ctx.req, PersonInput);
    const ended = await inTransaction(app.db, async (tx) => {
      mayManagePerson(ctx.session!, await stationOfPerson(tx, id));
      mayManagePerson(ctx.session!, input.stationId);
      await checkOne(tx, input);
      await updatePerson(tx, id, input);
      // Moving a person moves their accounts; their sessions end, as for any change of where they belong.
      await tx.query(`UPDATE accounts SET station_id = $2 WHERE person_id = $1 AND role NOT IN ('admin', 'district_leader', 'district_operator')`, [id, input.stationId]);
      // An account holds one of its person's roles: one whose role the person lost is disabled, not left as it was.
      const lost = await tx.query<{ id: number; role: string }>(
        `UPDATE accounts SET disabled = true WHERE person_id = $1 AND NOT disabled
            AND role NOT IN ('admin', 'district_leader', 'district_operator') AND role <> ALL($2::text[]) RETURNING id, role`,
        [id, input.roles.map((r) => r.role)],
      );
      for (const a of lost.rows) await audit(tx, ctx.session, { action: 'account.disable', target: `account:${a.id}`, detail: { reason: 'role_removed', role: a.role }, ip: ctx.ip });
      const sids = (await tx.query<{ id: number }>(`SELECT id FROM accounts WHERE person_id = $1`, [id])).rows;
      const all = (await Promise.all(sids.map((a) => app.sessions.revoke(tx, { accountId: a.id })))).flat();
      await audit(tx, ctx.session, { action: 'person.update', target: `person:${id}`, detail: { ...input, phone: input.phone ? '***' : null }, ip: ctx.ip });
      return all;
    });
    await app.sessions.announce(ended);
    return { body: { id } };
  });

  router.add('POST', '/api/v1/accounts', 'manageStation', {
    doc: {
      summary: '为人员开设账号',
      description: `账号角色须为该人员在站内的角色之一；区级角色只由管理员授予。${SCOPE}`,
      body: AccountInput,
      responses: { 201: { description: '已开设', schema: CREATED } },
      errors: { 409: '用户名已被使用', 422: '人员不存在，或角色不符' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, AccountInput);
    const passwordHash = await hashPassword(input.password);
    const id = await inTransaction(app.db, async (tx) => {
      const { rows } = await tx.query<{ name: string; stationId: number | null }>(`SELECT name, station_id AS "stationId" FROM people WHERE id = $1`, [input.personId]);
      if (!rows[0]) throw refused('body.personId', `人员 ${input.personId} 不存在`);
      mayManagePerson(session!, rows[0].stationId);
      await checkRole(tx, session!, input.personId, input.role);
      if ((await tx.query(`SELECT 1 FROM accounts WHERE username = $1`, [input.username])).rows[0])
        throw new DomainError('conflict', 'duplicate', `用户名 ${input.username} 已被使用`, [{ path: 'body.username', message: '用户名已被使用' }]);
      const district = (DISTRICT_ROLES as readonly string[]).includes(input.role);
      const { rows: made } = await tx.query<{ id: number }>(
        `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [input.username, passwordHash, input.role, rows[0].name, district ? null : rows[0].stationId, input.personId],
      );
      await audit(tx, session, { action: 'account.create', target: `account:${made[0].id}`, detail: { username: input.username, role: input.role, person: input.personId }, ip });
      return made[0].id;
    });
    return { status: 201, body: { id } };
  });

  // Disable or change role: both end every session of the account at once (issue 10).
  router.add('PATCH', '/api/v1/accounts/:id', 'manageStation', {
    doc: { summary: '停用、启用账号或改角色', description: `账号的会话全部随之结束。${SCOPE}`, body: AccountPatch, response: ENDED, errors: { 422: '不能停用自己的账号；角色不符' } },
  }, async (ctx) => {
    const id = idOf(ctx, '账号');
    const input = await readBody(ctx.req, AccountPatch);
    const ended = await inTransaction(app.db, async (tx) => {
      await accountFor(tx, ctx.session!, id);
      if (id === ctx.session!.uid && input.disabled) throw refused('body.disabled', '不能停用自己的账号');
      if (input.role) {
        const { rows } = await tx.query<{ personId: number | null }>(`SELECT person_id AS "personId" FROM accounts WHERE id = $1`, [id]);
        if (rows[0].personId === null) throw refused('body.role', '该账号未绑定人员，不能改角色');
        await checkRole(tx, ctx.session!, rows[0].personId, input.role);
      }
      await tx.query(
        `UPDATE accounts SET disabled = coalesce($2, disabled), role = coalesce($3, role),
                station_id = CASE WHEN $3::text IN ('admin', 'district_leader', 'district_operator') THEN NULL
                                  WHEN $3::text IS NULL THEN station_id
                                  ELSE (SELECT p.station_id FROM people p WHERE p.id = accounts.person_id) END
          WHERE id = $1`,
        [id, input.disabled ?? null, input.role ?? null],
      );
      const sids = await app.sessions.revoke(tx, { accountId: id });
      await audit(tx, ctx.session, { action: input.disabled === undefined ? 'account.role' : input.disabled ? 'account.disable' : 'account.enable', target: `account:${id}`, detail: input, ip: ctx.ip });
      return sids;
    });
    await app.sessions.announce(ended);
    return { body: { id, sessionsEnded: ended.length } };
  });

  router.add('POST', '/api/v1/accounts/:id/password', 'manageStation', {
    doc: { summary: '重设账号密码', description: `账号的会话全部随之结束。${SCOPE}`, body: PasswordReset, response: ENDED },
  }, async (ctx) => {
    const id = idOf(ctx, '账号');
    const { password } = await readBody(ctx.req, PasswordReset);
    const hash = await hashPassword(password);
    const ended = await inTransaction(app.db, async (tx) => {
      await accountFor(tx, ctx.session!, id);
      await tx.query(`UPDATE accounts SET password_hash = $2 WHERE id = $1`, [id, hash]);
      const sids = await app.sessions.revoke(tx, { accountId: id });
      await audit(tx, ctx.session, { action: 'account.password_reset', target: `account:${id}`, ip: ctx.ip });
      return sids;
    });
    await app.sessions.announce(ended);
    return { body: { id, sessionsEnded: ended.length } };
  });

  router.add('POST', '/api/v1/accounts/:id/sign-out', 'manageStation', {
    doc: { summary: '让账号在所有设备上退出', description: SCOPE, body: Empty, response: ENDED },
  }, async (ctx) => {
    const id = idOf(ctx, '账号');
    await readBody(ctx.req, Empty);
    const ended = await inTransaction(app.db, async (tx) => {
      await accountFor(tx, ctx.session!, id);
      const sids = await app.sessions.revoke(tx, { accountId: id });
      await audit(tx, ctx.session, { action: 'account.sign_out_everywhere', target: `account:${id}`, detail: { sessions: sids.length }, ip: ctx.ip });
      return sids;
    });
    await app.sessions.announce(ended);
    return { body: { id, sessionsEnded: ended.length } };
  });
}
