import { z } from 'zod';
import { RosterInput, RotationInput, StationDepartmentInput, StationInput, StationPatch } from '@/lib/contracts/master';
import type { AppContext } from '../../context';
import { inTransaction, type Tx } from '../../db/pool';
import { isoSql } from '../../db/sql';
import { departmentId, mayManageStation, notFound, refused } from '../../master/guard';
import { audit } from '../../repo/audit';
import { DomainError } from '../../errors';
import { readBody, readQuery, type Ctx, type Router } from '../router';

// Serial (int4) ids: a larger one reached PostgreSQL as an out-of-range error (issue 11 fuzzing).
const Id = z.coerce.number().int().positive().max(2 ** 31 - 1);
// This century only: zod's ISO date takes year 0000, which PostgreSQL refuses (issue 11 fuzzing).
const SetupDay = z.string().date().refine((d) => d >= '2000-01-01' && d <= '2099-12-31', '须在 2000–2099 年之间');
const SetupQuery = z.object({ from: SetupDay.optional(), to: SetupDay.optional() });
const Empty = z.object({}).strict();
const OK = { type: 'object', properties: { ok: { const: true } }, required: ['ok'] };
const CREATED = { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] };
const DEPARTMENT = { type: 'string', description: '部门代码' };
const LEADERS = '管理员管理全区的；站长、常务副站长只管理本站的。';
function param(ctx: Ctx, key: string, what: string): number {
  const parsed = Id.safeParse(ctx.params[key]);
  if (!parsed.success) throw new DomainError('invalid', 'invalid', `${what}编号无效`, [{ path: `params.${key}`, message: '须为正整数' }]);
  return parsed.data;
}

/**
 * The villages must exist, lie in the station's town and belong to no other station: one
 * village, one station (the placement of events depends on it).
 */
async function checkCoverage(tx: Tx, townCode: string, villageCodes: readonly string[], stationId: number | null): Promise<void> {
  const { rows: town } = await tx.query(`SELECT 1 FROM regions WHERE code = $1 AND level = 'town'`, [townCode]);
  if (!town[0]) throw refused('body.townCode', `镇（街道）${townCode} 不存在`);
  const { rows } = await tx.query<{ code: string; parent: string | null; owner: number | null; ownerName: string | null }>(
    `SELECT v.code, v.parent_code AS parent, sv.station_id AS owner, s.name AS "ownerName"
       FROM unnest($1::text[]) AS c(code)
       LEFT JOIN regions v ON v.code = c.code AND v.level = 'village'
       LEFT JOIN station_villages sv ON sv.village_code = c.code
       LEFT JOIN stations s ON s.id = sv.station_id`,
    [villageCodes],
  );
  villageCodes.forEach((code, i) => {
    const r = rows.find((x) => x.code === code);
    const path = `body.villageCodes.${i}`;
    if (!r) throw refused(path, `村（社区）${code} 不存在`);
    if (r.parent !== townCode) throw refused(path, `村（社区）${code} 不属于镇（街道）${townCode}`);
    if (r.owner !== null && r.owner !== stationId) throw refused(path, `村（社区）${code} 已由 ${r.ownerName} 覆盖`);
  });
}

async function setCoverage(tx: Tx, stationId: number, villageCodes: readonly string[]): Promise<void> {
  await tx.query(`DELETE FROM station_villages WHERE station_id = $1`, [stationId]);
  await tx.query(`INSERT INTO station_villages (station_id, village_code) SELECT $1, unnest($2::text[])`, [stationId, [...new Set(villageCodes)]]);
}

/** Stations, their departments, rotations and duty roster (issue 10, S5). */
export function stationRoutes(router: Router, app: AppContext): void {
  router.add('POST', '/api/v1/stations', 'manageSystem', {
    doc: {
      summary: '新建工作站',
      description: '所覆盖的村（社区）须存在、属于该镇（街道），且不属其他工作站：一村一站（事件据此落站）。',
      body: StationInput,
      responses: { 201: { description: '已新建', schema: CREATED } },
      errors: { 409: '编码已存在', 422: '镇（街道）或村（社区）无效，或村已由其他工作站覆盖' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, StationInput);
    const id = await inTransaction(app.db, async (tx) => {
      if ((await tx.query(`SELECT 1 FROM stations WHERE code = $1`, [input.code])).rows[0]) throw new DomainError('conflict', 'duplicate', `编码 ${input.code} 已存在`, [{ path: 'body.code', message: '编码已存在' }]);
      await checkCoverage(tx, input.townCode, input.villageCodes, null);
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO stations (code, name, town_code, location) VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326)) RETURNING id`,
        [input.code, input.name, input.townCode, input.lon, input.lat],
      );
      await setCoverage(tx, rows[0].id, input.villageCodes);
      await audit(tx, session, { action: 'station.create', target: `station:${rows[0].id}`, detail: input, ip });
      return rows[0].id;
    });
    app.reference.invalidate();
    return { status: 201, body: { id } };
  });

  router.add('PATCH', '/api/v1/stations/:id', 'manageSystem', {
    doc: { summary: '修改工作站', description: '只改所给的字段；给出 villageCodes 时整体替换覆盖范围。', body: StationPatch, response: CREATED, errors: { 422: '镇（街道）或村（社区）无效，或村已由其他工作站覆盖' } },
  }, async (ctx) => {
    const id = param(ctx, 'id', '工作站');
    const input = await readBody(ctx.req, StationPatch);
    await inTransaction(app.db, async (tx) => {
      const { rows } = await tx.query<{ townCode: string }>(`SELECT town_code AS "townCode" FROM stations WHERE id = $1 FOR UPDATE`, [id]);
      if (!rows[0]) throw notFound(`工作站 ${id} `);
      const town = input.townCode ?? rows[0].townCode;
      // A new town is checked with the villages the station keeps, too: an unknown town was a
      // foreign-key violation (500, issue 11 fuzzing), and kept villages must lie in the new one.
      if (input.villageCodes || input.townCode !== undefined) {
        const villages =
          input.villageCodes ??
          (await tx.query<{ code: string }>(`SELECT village_code AS code FROM station_villages WHERE station_id = $1 ORDER BY 1`, [id])).rows.map((r) => r.code);
        await checkCoverage(tx, town, villages, id);
      }
      await tx.query(
        `UPDATE stations SET code = coalesce($2, code), name = coalesce($3, name), town_code = $4,
                location = CASE WHEN $5::float8 IS NULL THEN location ELSE ST_SetSRID(ST_MakePoint($5, $6), 4326) END
          WHERE id = $1`,
        [id, input.code ?? null, input.name ?? null, town, input.lon ?? null, input.lat ?? null],
      );
      if (input.villageCodes) await setCoverage(tx, id, input.villageCodes);
      await audit(tx, ctx.session, { action: 'station.update', target: `station:${id}`, detail: input, ip: ctx.ip });
    });
    app.reference.invalidate();
    return { body: { id } };
  });

  // A station's setup at a glance: departments by residency, rotations ahead, today's roster.
  router.add('GET', '/api/v1/stations/:id/setup', 'manageStation', {
    doc: {
      summary: '工作站的配置',
      description: `驻站部门、近期轮驻与值班表（默认今天起 7 天）。${LEADERS}`,
      query: SetupQuery,
      response: { type: 'object', properties: { station: { type: 'object' }, departments: { type: 'array' }, rotations: { type: 'array' }, roster: { type: 'array' } }, required: ['station', 'departments', 'rotations', 'roster'] },
    },
  }, async (ctx) => {
    const id = param(ctx, 'id', '工作站');
    mayManageStation(ctx.session!, id);
    const { from, to } = readQuery(ctx.url, SetupQuery);
    const [station, departments, rotations, roster] = await Promise.all([
      app.db.query(`SELECT id, code, name, town_code AS "townCode", ST_X(location) AS lon, ST_Y(location) AS lat,
                           ARRAY(SELECT village_code FROM station_villages WHERE station_id = s.id ORDER BY 1) AS "villageCodes",
                           publish_closed_reports AS "publishClosedReports"
                      FROM stations s WHERE id = $1`, [id]),
      app.db.query(`SELECT d.code, d.name, sd.residency FROM station_departments sd JOIN departments d ON d.id = sd.department_id WHERE sd.station_id = $1 ORDER BY d.id`, [id]),
      app.db.query(`SELECT r.id, d.code AS department, ${isoSql('r.starts_at')} AS "startsAt", ${isoSql('r.ends_at')} AS "endsAt"
                      FROM department_rotations r JOIN departments d ON d.id = r.department_id
                     WHERE r.station_id = $1 AND r.ends_at > now() - interval '7 days' ORDER BY r.starts_at`, [id]),
      app.db.query(`SELECT to_char(r.day, 'YYYY-MM-DD') AS day, d.code AS department, r.person_id AS "personId", p.name
                      FROM duty_roster r JOIN departments d ON d.id = r.department_id JOIN people p ON p.id = r.person_id
                     WHERE r.station_id = $1 AND r.day BETWEEN coalesce($2::date, (now() AT TIME ZONE 'Asia/Shanghai')::date)
                                                         AND coalesce($3::date, (now() AT TIME ZONE 'Asia/Shanghai')::date + 6)
                     ORDER BY r.day, d.code, p.name`, [id, from ?? null, to ?? null]),
    ]);
    if (!station.rows[0]) throw notFound(`工作站 ${id} `);
    return { body: { station: station.rows[0], departments: departments.rows, rotations: rotations.rows, roster: roster.rows } };
  });

  router.add('PUT', '/api/v1/stations/:id/departments/:code', 'manageStation', {
    doc: { summary: '设定驻站部门及驻站方式', description: `常驻、轮驻或联驻（S5）。${LEADERS}`, params: { code: DEPARTMENT }, body: StationDepartmentInput, response: OK, errors: { 422: '部门未知' } },
  }, async (ctx) => {
    const id = param(ctx, 'id', '工作站');
    mayManageStation(ctx.session!, id);
    const { residency } = await readBody(ctx.req, StationDepartmentInput);
    await inTransaction(app.db, async (tx) => {
      const dep = await departmentId(tx, ctx.params.code, 'params.code');
      await tx.query(
        `INSERT INTO station_departments (station_id, department_id, residency) VALUES ($1, $2, $3)
         ON CONFLICT (station_id, department_id) DO UPDATE SET residency = EXCLUDED.residency`,
        [id, dep, residency],
      );
      await audit(tx, ctx.session, { action: 'station.department', target: `station:${id}`, detail: { department: ctx.params.code, residency }, ip: ctx.ip });
    });
    return { body: { ok: true } };
  });

  router.add('DELETE', '/api/v1/stations/:id/departments/:code', 'manageStation', {
    doc: { summary: '撤出驻站部门', description: LEADERS, params: { code: DEPARTMENT }, body: Empty, response: OK, errors: { 422: '部门未知' } },
  }, async (ctx) => {
    const id = param(ctx, 'id', '工作站');
    mayManageStation(ctx.session!, id);
    await readBody(ctx.req, Empty);
    await inTransaction(app.db, async (tx) => {
      const dep = await departmentId(tx, ctx.params.code, 'params.code');
      await tx.query(`DELETE FROM station_departments WHERE station_id = $1 AND department_id = $2`, [id, dep]);
      await audit(tx, ctx.session, { action: 'station.department_removed', target: `station:${id}`, detail: { department: ctx.params.code }, ip: ctx.ip });
    });
    return { body: { ok: true } };
  });

  router.add('POST', '/api/v1/stations/:id/rotations', 'manageStation', {
    doc: { summary: '安排一次轮驻', description: LEADERS, body: RotationInput, responses: { 201: { description: '已安排', schema: CREATED } }, errors: { 422: '部门未知' } },
  }, async (ctx) => {
    const id = param(ctx, 'id', '工作站');
    mayManageStation(ctx.session!, id);
    const input = await readBody(ctx.req, RotationInput);
    const rid = await inTransaction(app.db, async (tx) => {
      const dep = await departmentId(tx, input.department, 'body.department');
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO department_rotations (station_id, department_id, starts_at, ends_at) VALUES ($1, $2, $3, $4) RETURNING id`,
        [id, dep, input.startsAt, input.endsAt],
      );
      await audit(tx, ctx.session, { action: 'station.rotation', target: `station:${id}`, detail: input, ip: ctx.ip });
      return rows[0].id;
    });
    return { status: 201, body: { id: rid } };
  });

  router.add('DELETE', '/api/v1/stations/:id/rotations/:rid', 'manageStation', {
    doc: { summary: '取消一次轮驻', description: LEADERS, body: Empty, response: OK },
  }, async (ctx) => {
    const id = param(ctx, 'id', '工作站');
    const rid = param(ctx, 'rid', '轮驻');
    mayManageStation(ctx.session!, id);
    await readBody(ctx.req, Empty);
    await inTransaction(app.db, async (tx) => {
      const { rowCount } = await tx.query(`DELETE FROM department_rotations WHERE id = $1 AND station_id = $2`, [rid, id]);
      if (!rowCount) throw notFound(`轮驻安排 ${rid} `);
      await audit(tx, ctx.session, { action: 'station.rotation_removed', target: `station:${id}`, detail: { rotation: rid }, ip: ctx.ip });
    });
    return { body: { ok: true } };
  });

  // One department's duty for one day, replaced whole: the form sends who is on duty.
  router.add('PUT', '/api/v1/stations/:id/roster', 'manageStation', {
    doc: { summary: '设定一个部门一天的值班', description: `整体替换当天该部门的值班人员。${LEADERS}`, body: RosterInput, response: OK, errors: { 422: '部门未知，或人员不是本站该部门的' } },
  }, async (ctx) => {
    const id = param(ctx, 'id', '工作站');
    mayManageStation(ctx.session!, id);
    const input = await readBody(ctx.req, RosterInput);
    await inTransaction(app.db, async (tx) => {
      const dep = await departmentId(tx, input.department, 'body.department');
      const { rows } = await tx.query<{ id: number }>(
        `SELECT p.id FROM people p WHERE p.id = ANY($1::int[]) AND p.station_id = $2 AND p.department_id = $3`,
        [input.personIds, id, dep],
      );
      const ok = new Set(rows.map((r) => r.id));
      input.personIds.forEach((pid, i) => {
        if (!ok.has(pid)) throw refused(`body.personIds.${i}`, `人员 ${pid} 不是本站 ${input.department} 部门人员`);
      });
      await tx.query(`DELETE FROM duty_roster WHERE station_id = $1 AND department_id = $2 AND day = $3`, [id, dep, input.day]);
      await tx.query(
        `INSERT INTO duty_roster (station_id, department_id, day, person_id) SELECT $1, $2, $3, unnest($4::int[])`,
        [id, dep, input.day, [...ok]],
      );
      await audit(tx, ctx.session, { action: 'station.roster', target: `station:${id}`, detail: input, ip: ctx.ip });
    });
    return { body: { ok: true } };
  });
}
