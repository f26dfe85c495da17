import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiKeyInput, DeviceTokenInput, DeviceTokenPatch, DisplayInput, UnitInput, type IssuedSecret } from '@/lib/contracts/master';
import type { Session } from '../../auth/session';
import { forgetApiKeys } from '../../auth/apikey';
import { hashToken } from '../../auth/token';
import type { AppContext } from '../../context';
import { inTransaction, type Tx } from '../../db/pool';
import { args, stationScopeSql } from '../../db/scope';
import { isoSql } from '../../db/sql';
import { reachOfSession } from '../../events/viewer';
import { departmentId, mayManageStation, notFound, refused } from '../../master/guard';
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
const OK = { type: 'object', properties: { ok: { const: true } }, required: ['ok'] };
const LIST = { type: 'array', items: { type: 'object' } };
const CREATED = { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] };
const ISSUED = { type: 'object', properties: { id: { type: 'integer' }, secret: { type: 'string', description: '只在此时给出一次；服务端只保存其散列' } }, required: ['id', 'secret'] };
const SCOPE = '管理员管理全区的；站长、常务副站长只管理本站的。';

/** A secret handed over once: 192 random bits, URL-safe. Only its hash is stored. */
const newSecret = () => randomBytes(24).toString('base64url');

/** The district's walls and gateways are the administrator's; a station's, its leaders' too. */
function mayManage(s: Session, stationId: number | null): void {
  if (stationId === null) {
    if (s.role !== 'admin') throw notFound('对象');
  } else mayManageStation(s, stationId);
}

/** Revokes one row of a secrets table after checking the caller may manage its station. */
async function revoke(tx: Tx, s: Session, table: 'device_tokens' | 'displays', id: number): Promise<void> {
  const { rows } = await tx.query<{ stationId: number | null }>(
    table === 'device_tokens'
      ? `SELECT coalesce(t.station_id, u.station_id) AS "stationId" FROM device_tokens t LEFT JOIN units u ON u.id = t.unit_id WHERE t.id = $1 FOR UPDATE OF t`
      : `SELECT station_id AS "stationId" FROM displays WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!rows[0]) throw notFound(`${id} `);
  mayManage(s, rows[0].stationId);
  await tx.query(`UPDATE ${table} SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, [id]);
}

/** Units, device tokens, wall displays and source API keys (issue 10). */
export function deviceRoutes(router: Router, app: AppContext): void {
  const reach = (s: Session | null) => reachOfSession(app.db, s!);

  router.add('GET', '/api/v1/admin/units', 'manageStation', {
    doc: { summary: '单位（管理）', description: `可按工作站筛选。${SCOPE}`, query: StationQuery, response: LIST },
  }, async ({ session, url }) => {
    const { station } = readQuery(url, StationQuery);
    const q = args();
    const where = [stationScopeSql(await reach(session), 'u.station_id', q.arg)];
    if (station) where.push(`u.station_id = ${q.arg(station)}`);
    const { rows } = await app.db.query(
      `SELECT u.id, u.code, u.name, u.kind, u.mobility, u.is_team AS "isTeam", u.station_id AS "stationId", u.person_id AS "personId",
              d.code AS department, u.grid_code AS "gridCode", u.status, ${isoSql('u.last_seen_at')} AS "lastSeenAt"
         FROM units u LEFT JOIN departments d ON d.id = u.department_id WHERE ${where.join(' AND ')} ORDER BY u.station_id, u.code LIMIT 5000`,
      q.args,
    );
    return { body: rows };
  });

  router.add('POST', '/api/v1/admin/units', 'manageStation', {
    doc: {
      summary: '新建单位',
      description: `一个人员的单位（巡逻的网格员），或一个部门的队伍（巡逻车）。${SCOPE}`,
      body: UnitInput,
      responses: { 201: { description: '已新建', schema: CREATED } },
      errors: { 409: '编码已存在', 422: '工作站不存在；网格不在该工作站内；部门未知；人员不属该工作站或已有单位' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, UnitInput);
    mayManage(session!, input.stationId);
    const id = await inTransaction(app.db, async (tx) => {
      if ((await tx.query(`SELECT 1 FROM units WHERE code = $1`, [input.code])).rows[0])
        throw new DomainError('conflict', 'duplicate', `编码 ${input.code} 已存在`, [{ path: 'body.code', message: '编码已存在' }]);
      // An unknown station or grid was a foreign-key violation and a 500 (issue 11 fuzzing); the grid
      // must be the station's, as the import checks it.
      if (!(await tx.query(`SELECT 1 FROM stations WHERE id = $1`, [input.stationId])).rows[0]) throw refused('body.stationId', `工作站 ${input.stationId} 不存在`);
      if (input.gridCode) {
        const { rows: grid } = await tx.query(
          `SELECT 1 FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.code = $1 AND g.level = 'grid' AND sv.station_id = $2`,
          [input.gridCode, input.stationId],
        );
        if (!grid[0]) throw refused('body.gridCode', `网格 ${input.gridCode} 不在该工作站内`);
      }
      const dep = input.department ? await departmentId(tx, input.department, 'body.department') : null;
      if (input.personId) {
        const { rows } = await tx.query<{ hasUnit: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM units WHERE person_id = p.id) AS "hasUnit" FROM people p WHERE p.id = $1 AND p.station_id = $2`,
          [input.personId, input.stationId],
        );
        if (!rows[0]) throw refused('body.personId', `人员 ${input.personId} 不属于该工作站`);
        if (rows[0].hasUnit) throw refused('body.personId', '该人员已有单位（一人一个单位）');
      }
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO units (code, name, kind, mobility, is_team, department_id, station_id, person_id, grid_code, last_position)
         VALUES ($1, $2, $3, $4, $5, coalesce($6, (SELECT department_id FROM people WHERE id = $8)), $7, $8, $9, (SELECT location FROM stations WHERE id = $7))
         RETURNING id`,
        [input.code, input.name, input.kind, input.mobility, !input.personId, dep, input.stationId, input.personId ?? null, input.gridCode ?? null],
      );
      await audit(tx, session, { action: 'unit.create', target: `unit:${rows[0].id}`, detail: input, ip });
      return rows[0].id;
    });
    // The live directory learns the unit at once, so its device can report right away.
    await app.live?.units.load();
    return { status: 201, body: { id } };
  });

  router.add('GET', '/api/v1/admin/device-tokens', 'manageStation', {
    doc: { summary: '定位设备令牌', description: `不含令牌本身；datum 为其上报所用坐标系。${SCOPE}`, response: LIST },
  }, async ({ session }) => {
    const q = args();
    const { rows } = await app.db.query(
      `SELECT t.id, t.name, t.unit_id AS "unitId", u.code AS "unitCode", coalesce(t.station_id, u.station_id) AS "stationId", t.datum,
              ${isoSql('t.created_at')} AS "createdAt", ${isoSql('t.last_used_at')} AS "lastUsedAt", ${isoSql('t.revoked_at')} AS "revokedAt"
         FROM device_tokens t LEFT JOIN units u ON u.id = t.unit_id
        WHERE ${stationScopeSql(await reach(session), 'coalesce(t.station_id, u.station_id)', q.arg)} ORDER BY t.id DESC LIMIT 5000`,
      q.args,
    );
    return { body: rows };
  });

  router.add('POST', '/api/v1/admin/device-tokens', 'manageStation', {
    doc: {
      summary: '签发设备令牌',
      description: `绑定一个单位（只上报该单位），或一个工作站（网关，上报该站的单位）。datum 是设备上报所用坐标系（wgs84 缺省；gcj02、bd09 在入库前换算为 WGS-84）。${SCOPE}`,
      body: DeviceTokenInput,
      responses: { 201: { description: '已签发', schema: ISSUED } },
      errors: { 422: '单位或工作站不存在' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, DeviceTokenInput);
    const secret = newSecret();
    const issued = await inTransaction(app.db, async (tx): Promise<IssuedSecret> => {
      let stationId = input.stationId;
      if (input.unitId !== null) {
        const { rows } = await tx.query<{ stationId: number | null }>(`SELECT station_id AS "stationId" FROM units WHERE id = $1`, [input.unitId]);
        if (!rows[0]) throw refused('body.unitId', `单位 ${input.unitId} 不存在`);
        stationId = rows[0].stationId;
      }
      mayManage(session!, stationId);
      // A gateway of a station that does not exist was a foreign-key violation and a 500 (issue 11 fuzzing).
      if (input.unitId === null && stationId !== null && !(await tx.query(`SELECT 1 FROM stations WHERE id = $1`, [stationId])).rows[0])
        throw refused('body.stationId', `工作站 ${stationId} 不存在`);
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO device_tokens (name, token_hash, unit_id, station_id, datum) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [input.name, hashToken(secret), input.unitId, input.unitId === null ? input.stationId : null, input.datum],
      );
      await audit(tx, session, { action: 'device_token.issue', target: `device_token:${rows[0].id}`, detail: { name: input.name, unitId: input.unitId, stationId, datum: input.datum }, ip });
      return { id: rows[0].id, secret };
    });
    return { status: 201, body: issued };
  });

  // A tracker reconfigured to another map SDK keeps its token; its datum changes here (issue 12).
  router.add('PATCH', '/api/v1/admin/device-tokens/:id', 'manageStation', {
    doc: { summary: '更改设备坐标系', description: `此后的点位按新坐标系换算。${SCOPE}`, body: DeviceTokenPatch, response: OK },
  }, async (ctx) => {
    const id = idOf(ctx, '设备令牌');
    const input = await readBody(ctx.req, DeviceTokenPatch);
    await inTransaction(app.db, async (tx) => {
      const { rows } = await tx.query<{ stationId: number | null; datum: string }>(
        `SELECT coalesce(t.station_id, u.station_id) AS "stationId", t.datum FROM device_tokens t LEFT JOIN units u ON u.id = t.unit_id WHERE t.id = $1 FOR UPDATE OF t`,
        [id],
      );
      if (!rows[0]) throw notFound(`${id} `);
      mayManage(ctx.session!, rows[0].stationId);
      if (rows[0].datum === input.datum) return;
      await tx.query(`UPDATE device_tokens SET datum = $2 WHERE id = $1`, [id, input.datum]);
      await audit(tx, ctx.session, { action: 'device_token.datum', target: `device_token:${id}`, detail: { from: rows[0].datum, to: input.datum }, ip: ctx.ip });
    });
    return { body: { ok: true } };
  });

  router.add('POST', '/api/v1/admin/device-tokens/:id/revoke', 'manageStation', {
    doc: { summary: '吊销设备令牌', body: Empty, response: OK },
  }, async (ctx) => {
    const id = idOf(ctx, '设备令牌');
    await readBody(ctx.req, Empty);
    await inTransaction(app.db, async (tx) => {
      await revoke(tx, ctx.session!, 'device_tokens', id);
      await audit(tx, ctx.session, { action: 'device_token.revoke', target: `device_token:${id}`, ip: ctx.ip });
    });
    return { body: { ok: true } };
  });

  router.add('GET', '/api/v1/admin/displays', 'manageStation', {
    doc: { summary: '大屏', description: `不含令牌本身。${SCOPE}`, response: LIST },
  }, async ({ session }) => {
    const q = args();
    const { rows } = await app.db.query(
      `SELECT id, name, station_id AS "stationId", ${isoSql('created_at')} AS "createdAt", ${isoSql('last_used_at')} AS "lastUsedAt", ${isoSql('revoked_at')} AS "revokedAt"
         FROM displays WHERE ${stationScopeSql(await reach(session), 'station_id', q.arg)} ORDER BY id DESC`,
      q.args,
    );
    return { body: rows };
  });

  // The answer carries the wall's link once; the screen opens it and keeps a 30-day display session.
  router.add('POST', '/api/v1/admin/displays', 'manageStation', {
    doc: {
      summary: '新建大屏',
      description: `答复中的链接只给出一次；大屏打开它即得到 30 天的只读会话。stationId 为 null 是全区大屏（仅管理员）。${SCOPE}`,
      body: DisplayInput,
      responses: { 201: { description: '已新建', schema: { type: 'object', properties: { id: { type: 'integer' }, secret: { type: 'string' }, url: { type: 'string' } }, required: ['id', 'secret', 'url'] } } },
      errors: { 422: '工作站不存在' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, DisplayInput);
    mayManage(session!, input.stationId);
    const secret = newSecret();
    const issued = await inTransaction(app.db, async (tx): Promise<IssuedSecret> => {
      if (input.stationId !== null && !(await tx.query(`SELECT 1 FROM stations WHERE id = $1`, [input.stationId])).rows[0])
        throw refused('body.stationId', `工作站 ${input.stationId} 不存在`);
      const { rows } = await tx.query<{ id: number }>(`INSERT INTO displays (name, station_id, token_hash) VALUES ($1, $2, $3) RETURNING id`, [input.name, input.stationId, hashToken(secret)]);
      await audit(tx, session, { action: 'display.issue', target: `display:${rows[0].id}`, detail: input, ip });
      return { id: rows[0].id, secret };
    });
    return { status: 201, body: { ...issued, url: `/wall?display=${issued.secret}` } };
  });

  // Revoking a wall ends its sessions: the screen leaves within a second.
  router.add('POST', '/api/v1/admin/displays/:id/revoke', 'manageStation', {
    doc: {
      summary: '吊销大屏',
      description: '其会话随即结束，大屏一秒内退出。',
      body: Empty,
      response: { type: 'object', properties: { ok: { const: true }, sessionsEnded: { type: 'integer' } }, required: ['ok', 'sessionsEnded'] },
    },
  }, async (ctx) => {
    const id = idOf(ctx, '大屏');
    await readBody(ctx.req, Empty);
    const ended = await inTransaction(app.db, async (tx) => {
      await revoke(tx, ctx.session!, 'displays', id);
      const sids = await app.sessions.revoke(tx, { displayId: id });
      await audit(tx, ctx.session, { action: 'display.revoke', target: `display:${id}`, ip: ctx.ip });
      return sids;
    });
    await app.sessions.announce(ended);
    return { body: { ok: true, sessionsEnded: ended.length } };
  });

  router.add('GET', '/api/v1/admin/api-keys', 'manageSystem', {
    doc: { summary: '来源系统的 API 密钥', description: '不含密钥本身。', response: LIST },
  }, async () => {
    const { rows } = await app.db.query(
      `SELECT id, source, name, ${isoSql('created_at')} AS "createdAt", ${isoSql('last_used_at')} AS "lastUsedAt", ${isoSql('revoked_at')} AS "revokedAt"
         FROM api_keys ORDER BY id DESC`,
    );
    return { body: rows };
  });

  router.add('POST', '/api/v1/admin/api-keys', 'manageSystem', {
    doc: { summary: '签发来源系统的 API 密钥', body: ApiKeyInput, responses: { 201: { description: '已签发', schema: ISSUED } } },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, ApiKeyInput);
    const secret = newSecret();
    const issued = await inTransaction(app.db, async (tx): Promise<IssuedSecret> => {
      const { rows } = await tx.query<{ id: number }>(`INSERT INTO api_keys (source, name, key_hash) VALUES ($1, $2, $3) RETURNING id`, [input.source, input.name, hashToken(secret)]);
      await audit(tx, session, { action: 'api_key.issue', target: `api_key:${rows[0].id}`, detail: input, ip });
      return { id: rows[0].id, secret };
    });
    return { status: 201, body: issued };
  });

  router.add('POST', '/api/v1/admin/api-keys/:id/revoke', 'manageSystem', {
    doc: { summary: '吊销 API 密钥', description: '本进程立即生效，其他进程 30 秒内。', body: Empty, response: OK },
  }, async (ctx) => {
    const id = idOf(ctx, 'API 密钥');
    await readBody(ctx.req, Empty);
    await inTransaction(app.db, async (tx) => {
      const { rowCount } = await tx.query(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, [id]);
      if (!rowCount) throw notFound(`API 密钥 ${id} `);
      await audit(tx, ctx.session, { action: 'api_key.revoke', target: `api_key:${id}`, ip: ctx.ip });
    });
    forgetApiKeys();
    return { body: { ok: true } };
  });
}
