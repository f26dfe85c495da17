import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '@/lib/contracts/keyPerson';
import { hashPassword } from '../auth/password';
import { login, withTestServer } from '../test/server';
import { KEY_PERSON_COLUMNS } from './import-key-persons';
import { PLACE_COLUMNS } from './import-places';
import { XLSX_TYPE } from './sheet';

/*
 * Issue 12's registers through the HTTP API on the demo database: key places and key persons
 * created, edited and removed in scope; key persons masked for all but their gridders and leaders,
 * each read on record; both imported all or nothing. What it creates is named 测试… and removed.
 */
const ts = withTestServer(`registers:${process.pid}:`);

interface Grid { code: string; lon: number; lat: number }
let station: number;
/** The demo gridder's grid, another grid of the same station, and a grid of another station. */
let mine: Grid, next: Grid, far: Grid;
const cookies: Record<string, string> = {};

async function grid(where: string, params: unknown[]): Promise<Grid> {
  const { rows } = await ts.app.db.query<Grid>(
    `SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
       FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.level = 'grid' AND ${where} ORDER BY g.code LIMIT 1`,
    params,
  );
  return rows[0];
}

/** An account for an existing person of the demo, with its own password. */
async function account(username: string, role: string, stationId: number | null, personId: number | null): Promise<string> {
  await ts.app.db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id) VALUES ($1, $2, $3, $1, $4, $5)
     ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role, station_id = EXCLUDED.station_id, person_id = EXCLUDED.person_id, disabled = false`,
    [username, await hashPassword('registers-password'), role, stationId, personId],
  );
  return login(ts.url, username, 'registers-password');
}

beforeAll(async () => {
  const db = ts.app.db;
  station = (await db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  const gridCode = (await db.query<{ code: string }>(
    `SELECT r.grid_code AS code FROM accounts a JOIN person_roles r ON r.person_id = a.person_id WHERE a.username = 'gridder' AND r.grid_code IS NOT NULL LIMIT 1`,
  )).rows[0].code;
  mine = await grid('g.code = $1', [gridCode]);
  next = await grid('sv.station_id = $1 AND g.code <> $2', [station, gridCode]);
  far = await grid('sv.station_id <> $1', [station]);
  const otherChief = (await db.query<{ id: number; person: number }>(
    `SELECT station_id AS id, person_id AS person FROM person_roles WHERE role = 'station_chief' AND station_id <> $1 ORDER BY station_id LIMIT 1`,
    [station],
  )).rows[0];
  const nextGridder = (await db.query<{ person: number }>(`SELECT person_id AS person FROM person_roles WHERE role = 'gridder_full' AND grid_code = $1 LIMIT 1`, [next.code])).rows[0];
  for (const u of ['admin', 'chief', 'deputy', 'gridder', 'volunteer']) cookies[u] = await login(ts.url, u);
  cookies.otherChief = await account('r-other-chief', 'station_chief', otherChief.id, otherChief.person);
  cookies.nextGridder = await account('r-next-gridder', 'gridder_full', station, nextGridder.person);
  cookies.districtLeader = await account('r-district-leader', 'district_leader', null, null);
  cookies.districtOperator = await account('r-district-operator', 'district_operator', null, null);
}, 120_000);

afterAll(async () => {
  // The coverage job may have found a visit to one of them in the simulator's traces meanwhile.
  await ts.app.db.query(`DELETE FROM visits WHERE person_id IN (SELECT id FROM key_persons WHERE name LIKE '测试%') OR place_id IN (SELECT id FROM places WHERE name LIKE '测试%')`);
  await ts.app.db.query(`DELETE FROM key_persons WHERE name LIKE '测试%'`);
  await ts.app.db.query(`DELETE FROM places WHERE name LIKE '测试%'`);
});

/** A reply's JSON, read as loosely as the assertions read it. */
type Json = ReturnType<typeof JSON.parse>;

async function call(who: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${ts.url}${path}`, {
    method,
    headers: { cookie: cookies[who], ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function lastAudit(action: string): Promise<{ id: number; target: string | null; detail: Json; role: string }[]> {
  return (await ts.app.db.query(`SELECT id, target, detail, role FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 5`, [action])).rows;
}
const auditCount = async (action: string) => (await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1`, [action])).rows[0].n;

function idNumber(seq: number): string {
  const first = `33050319700101${String(seq).padStart(3, '0')}`;
  return first + idCheckChar(first);
}

describe('key places (issue 12): point or outline, edited and removed in scope', () => {
  it('creates by point and by outline, filters, edits, moves, and removes softly', async () => {
    const created = await call('gridder', 'POST', '/api/v1/places', { name: '测试农贸市场', category: 'market', riskLevel: 'medium', lon: mine.lon, lat: mine.lat });
    expect(created).toMatchObject({ status: 201, body: { gridCode: mine.code } });
    const d = 0.0003;
    const square = [[[mine.lon - d, mine.lat - d], [mine.lon + d, mine.lat - d], [mine.lon + d, mine.lat + d], [mine.lon - d, mine.lat + d], [mine.lon - d, mine.lat - d]]];
    const outlined = await call('deputy', 'POST', '/api/v1/places', { name: '测试建筑工地', category: 'construction', riskLevel: 'high', address: '测试路 1 号', outline: { type: 'Polygon', coordinates: square } });
    expect(outlined.status).toBe(201);
    expect((await call('deputy', 'POST', '/api/v1/places', { name: '测试', category: 'market', riskLevel: 'low', lon: mine.lon, lat: mine.lat, outline: { type: 'Polygon', coordinates: square } })).status).toBe(400);
    const open = [[[0, 0], [1, 0], [1, 1], [0, 1]]];
    expect((await call('deputy', 'POST', '/api/v1/places', { name: '测试', category: 'market', riskLevel: 'low', outline: { type: 'Polygon', coordinates: open } })).body.issues[0].path).toMatch(/^body\.outline/);
    const bowtie = [[[mine.lon - d, mine.lat - d], [mine.lon + d, mine.lat + d], [mine.lon + d, mine.lat - d], [mine.lon - d, mine.lat + d], [mine.lon - d, mine.lat - d]]];
    expect(await call('deputy', 'POST', '/api/v1/places', { name: '测试', category: 'market', riskLevel: 'low', outline: { type: 'Polygon', coordinates: bowtie } })).toMatchObject({ status: 422, body: { error: 'invalid_outline' } });

    const listed = await call('chief', 'GET', `/api/v1/places?grid=${mine.code}&risk=high`);
    expect(listed.status).toBe(200);
    const site = listed.body.find((p: { id: number }) => p.id === outlined.body.id);
    expect(site).toMatchObject({ name: '测试建筑工地', riskLevel: 'high', gridCode: mine.code, address: '测试路 1 号', outline: { type: 'MultiPolygon' } });
    expect(Math.abs(site.lon - mine.lon)).toBeLessThan(d);
    expect(listed.body.every((p: { riskLevel: string; gridCode: string }) => p.riskLevel === 'high' && p.gridCode === mine.code)).toBe(true);

    expect(await call('gridder', 'PATCH', `/api/v1/places/${outlined.body.id}`, { riskLevel: 'major', address: null })).toMatchObject({ status: 200, body: { gridCode: mine.code } });
    expect(await call('deputy', 'PATCH', `/api/v1/places/${outlined.body.id}`, { lon: next.lon, lat: next.lat })).toMatchObject({ status: 200, body: { gridCode: next.code } });
    const moved = (await call('deputy', 'GET', `/api/v1/places?grid=${next.code}`)).body.find((p: { id: number }) => p.id === outlined.body.id);
    expect(moved).toMatchObject({ riskLevel: 'major', gridCode: next.code });
    expect(moved.outline).toBeUndefined();
    expect(moved.address).toBeUndefined();
    expect((await call('deputy', 'PATCH', `/api/v1/places/${outlined.body.id}`, { lon: far.lon, lat: far.lat })).body).toMatchObject({ error: 'out_of_scope' });
    expect((await lastAudit('place.update'))[0]).toMatchObject({ target: `place:${outlined.body.id}`, role: 'deputy_chief' });

    expect((await call('gridder', 'DELETE', `/api/v1/places/${created.body.id}`, {})).status).toBe(200);
    expect((await call('gridder', 'DELETE', `/api/v1/places/${created.body.id}`, {})).status).toBe(404);
    expect((await call('gridder', 'PATCH', `/api/v1/places/${created.body.id}`, { name: '测试复活' })).status).toBe(404);
    expect((await call('chief', 'GET', '/api/v1/places')).body.some((p: { id: number }) => p.id === created.body.id)).toBe(false);
    const { rows } = await ts.app.db.query(`SELECT removed_at FROM places WHERE id = $1`, [created.body.id]);
    expect(rows[0].removed_at).not.toBeNull();
    expect((await lastAudit('place.remove'))[0]).toMatchObject({ target: `place:${created.body.id}` });
  });

  it('is out of reach for another station’s chief: not listed, 404 on change, refused where it lies', async () => {
    const created = await call('deputy', 'POST', '/api/v1/places', { name: '测试加油站', category: 'fuel_station', riskLevel: 'high', lon: mine.lon, lat: mine.lat });
    expect(created.status).toBe(201);
    expect((await call('otherChief', 'GET', '/api/v1/places')).body.some((p: { id: number }) => p.id === created.body.id)).toBe(false);
    expect((await call('otherChief', 'PATCH', `/api/v1/places/${created.body.id}`, { name: '测试越权' })).status).toBe(404);
    expect((await call('otherChief', 'DELETE', `/api/v1/places/${created.body.id}`, {})).status).toBe(404);
    expect((await call('otherChief', 'POST', '/api/v1/places', { name: '测试越权', category: 'market', riskLevel: 'low', lon: mine.lon, lat: mine.lat })).body).toMatchObject({ error: 'out_of_scope' });
    expect((await call('volunteer', 'PATCH', `/api/v1/places/${created.body.id}`, { name: '测试越权' })).status).toBe(403);
    const { rows } = await ts.app.db.query(`SELECT name, removed_at FROM places WHERE id = $1`, [created.body.id]);
    expect(rows[0]).toEqual({ name: '测试加油站', removed_at: null });
  });
});

describe('key persons (issue 12): masked for all but the grid’s gridders and the leaders, every read on record', () => {
  let id = 0;
  beforeAll(async () => {
    const created = await call('deputy', 'POST', '/api/v1/key-persons', {
      name: '测试张三', idNumber: idNumber(1), phone: '13812345678', category: 'mental_disorder', address: '测试村 3 组 12 号', lon: mine.lon, lat: mine.lat, note: '按时服药',
    });
    expect(created).toMatchObject({ status: 201, body: { gridCode: mine.code } });
    id = created.body.id;
  });

  const CLEAR = { name: '测试张三', idNumber: idNumber(1), phone: '13812345678', note: '按时服药', masked: false };
  const MASKED = { name: '测*', idNumber: `330503********${idNumber(1).slice(-4)}`, phone: '138****5678', note: null, masked: true };

  it('takes the category’s visits a month by default, and the address’s grid', async () => {
    const got = await call('deputy', 'GET', `/api/v1/key-persons/${id}`);
    expect(got.body).toMatchObject({ ...CLEAR, category: 'mental_disorder', visitsPerMonth: 2, gridCode: mine.code, address: '测试村 3 组 12 号' });
  });

  it('shows the person in clear to its gridder and the leaders, masked to everyone else who may see it', async () => {
    const expected: Record<string, object | number> = {
      gridder: CLEAR, chief: CLEAR, deputy: CLEAR, districtLeader: CLEAR,
      nextGridder: MASKED, admin: MASKED, districtOperator: MASKED,
      otherChief: 404, volunteer: 403,
    };
    for (const [who, want] of Object.entries(expected)) {
      const got = await call(who, 'GET', `/api/v1/key-persons/${id}`);
      if (typeof want === 'number') expect(got.status, who).toBe(want);
      else expect(got.body, who).toMatchObject({ ...want, id, address: '测试村 3 组 12 号', lon: expect.any(Number) });
      const listed = await call(who, 'GET', `/api/v1/key-persons?grid=${mine.code}`);
      if (typeof want === 'number') expect(want === 404 ? listed.body : listed.status, who).toEqual(want === 404 ? [] : 403);
      else expect(listed.body.find((p: { id: number }) => p.id === id), who).toMatchObject(want);
    }
  });

  it('writes one audit row per answer, with the ids returned and whether masked', async () => {
    const before = await auditCount('key_person.read');
    const list = await call('nextGridder', 'GET', '/api/v1/key-persons');
    expect(list.status).toBe(200);
    expect(await auditCount('key_person.read')).toBe(before + 1);
    const [row] = await lastAudit('key_person.read');
    const ids = list.body.map((p: { id: number }) => p.id);
    expect(row.detail.ids).toEqual(ids);
    // The gridder of the next grid sees their own grid's people in clear and the rest of the station masked.
    expect(row.detail.clear).toEqual(list.body.filter((p: { masked: boolean; gridCode: string }) => !p.masked).map((p: { id: number }) => p.id));
    expect(list.body.filter((p: { masked: boolean; gridCode: string }) => !p.masked).every((p: { gridCode: string }) => p.gridCode === next.code)).toBe(true);
    expect(list.body.some((p: { id: number; masked: boolean }) => p.id === id && p.masked)).toBe(true);
    expect(row.detail.masked).toBe(true);

    await call('admin', 'GET', `/api/v1/key-persons/${id}`);
    const [detail] = await lastAudit('key_person.read');
    expect(detail).toMatchObject({ target: `key_person:${id}`, role: 'admin', detail: { ids: [id], clear: [], masked: true } });
    await call('otherChief', 'GET', `/api/v1/key-persons/${id}`);
    expect((await lastAudit('key_person.read'))[0]).toMatchObject({ target: `key_person:${id}`, detail: { ids: [], clear: [] } });
    expect(await auditCount('key_person.read')).toBe(before + 3);
  });

  it('edits only the fields given, moves with the address, and refuses a taken ID number', async () => {
    const other = await call('gridder', 'POST', '/api/v1/key-persons', { name: '测试李四', idNumber: idNumber(2), category: 'elderly_alone', address: '测试村 1 组', lon: mine.lon, lat: mine.lat });
    expect(other.status).toBe(201);
    expect(await call('gridder', 'PATCH', `/api/v1/key-persons/${other.body.id}`, { idNumber: idNumber(1) })).toMatchObject({ status: 409, body: { issues: [{ path: 'body.idNumber' }] } });
    expect((await call('gridder', 'POST', '/api/v1/key-persons', { name: '测试', idNumber: '330503197001010010', category: 'hardship', address: '某', lon: mine.lon, lat: mine.lat })).body.issues[0]).toMatchObject({ path: 'body.idNumber', message: '身份证号校验位不符' });

    // The administrator sees it masked and may still correct the phone, without reading it back.
    expect((await call('admin', 'PATCH', `/api/v1/key-persons/${id}`, { phone: '13900001111', category: 'hardship' })).status).toBe(200);
    const after = (await call('chief', 'GET', `/api/v1/key-persons/${id}`)).body;
    expect(after).toMatchObject({ name: '测试张三', phone: '13900001111', category: 'hardship', visitsPerMonth: 1, note: '按时服药' });
    const [upd] = await lastAudit('key_person.update');
    expect(upd.detail.fields.sort()).toEqual(['category', 'phone', 'visitsPerMonth']);
    expect(JSON.stringify(upd.detail)).not.toContain('13900001111');

    expect(await call('deputy', 'PATCH', `/api/v1/key-persons/${other.body.id}`, { lon: next.lon, lat: next.lat })).toMatchObject({ status: 200, body: { gridCode: next.code } });
    expect((await call('gridder', 'GET', `/api/v1/key-persons/${other.body.id}`)).body).toMatchObject({ masked: true, gridCode: next.code });
    expect((await call('nextGridder', 'GET', `/api/v1/key-persons/${other.body.id}`)).body).toMatchObject({ masked: false, name: '测试李四' });
    // The first gridder sees that person masked now, and may not move them back into their own grid to read them.
    expect(await call('gridder', 'PATCH', `/api/v1/key-persons/${other.body.id}`, { lon: mine.lon, lat: mine.lat })).toMatchObject({ status: 403, body: { error: 'not_responsible' } });
    expect((await call('gridder', 'DELETE', `/api/v1/key-persons/${other.body.id}`, {})).status).toBe(403);
    expect((await call('otherChief', 'PATCH', `/api/v1/key-persons/${other.body.id}`, { address: '测试越权' })).status).toBe(404);
    expect((await call('otherChief', 'DELETE', `/api/v1/key-persons/${other.body.id}`, {})).status).toBe(404);
    expect((await call('otherChief', 'POST', '/api/v1/key-persons', { name: '测试越权', category: 'hardship', address: '某', lon: mine.lon, lat: mine.lat })).body).toMatchObject({ error: 'out_of_scope' });

    expect((await call('nextGridder', 'DELETE', `/api/v1/key-persons/${other.body.id}`, {})).status).toBe(200);
    expect((await call('nextGridder', 'GET', `/api/v1/key-persons/${other.body.id}`)).status).toBe(404);
    expect((await call('deputy', 'DELETE', `/api/v1/key-persons/${other.body.id}`, {})).status).toBe(404);
    expect((await lastAudit('key_person.remove'))[0]).toMatchObject({ target: `key_person:${other.body.id}` });
    const { rows } = await ts.app.db.query(`SELECT removed_at FROM key_persons WHERE id = $1`, [other.body.id]);
    expect(rows[0].removed_at).not.toBeNull();
  });
});

async function xlsx(columns: readonly string[], rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('导入');
  sheet.addRow([...columns]);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}
const upload = (who: string, kind: string, body: Buffer) =>
  fetch(`${ts.url}/api/v1/import/${kind}`, { method: 'POST', headers: { cookie: cookies[who], 'content-type': XLSX_TYPE }, body: new Uint8Array(body) });
const countOf = async (table: string) => (await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE name LIKE '测试导入%'`)).rows[0].n;

describe('register imports (issue 12): all or nothing, refusals named by row and column', () => {
  it('imports key places, and refuses a file with one bad row whole', async () => {
    const good = (i: number, g: Grid): (string | number)[] => [`测试导入场所${i}`, i % 2 ? '学校' : 'hazchem', '高', '', g.lon, g.lat, i % 3 ? g.code : ''];
    const rows = [good(1, mine), good(2, next), good(3, mine), good(4, next)];
    const bad = [...rows.slice(0, 2), [...good(3, mine).slice(0, 6), next.code], good(4, next)];
    const refused = await upload('deputy', 'places', await xlsx(PLACE_COLUMNS, bad));
    expect(refused.status).toBe(422);
    expect((await refused.json()).issues).toEqual([{ path: 'rows.4.网格', message: `第 4 行 G 列（网格）：网格 ${next.code} 与经纬度所在网格 ${mine.code} 不符` }]);
    expect(await countOf('places')).toBe(0);
    const outside = await upload('deputy', 'places', await xlsx(PLACE_COLUMNS, [...rows, good(5, far)]));
    expect((await outside.json()).issues).toEqual([{ path: 'rows.6.经度', message: '第 6 行 E 列（经度）：位置不在本站范围内' }]);
    expect(await countOf('places')).toBe(0);
    const ok = await upload('deputy', 'places', await xlsx(PLACE_COLUMNS, rows));
    expect(ok.status).toBe(201);
    expect((await ok.json()).imported).toBe(4);
    const { rows: stored } = await ts.app.db.query(`SELECT name, category, risk_level, grid_code FROM places WHERE name LIKE '测试导入%' ORDER BY name`);
    expect(stored[0]).toEqual({ name: '测试导入场所1', category: 'school', risk_level: 'high', grid_code: mine.code });
    expect(stored[1].grid_code).toBe(next.code);
  });

  it('imports key persons, and refuses a file with one bad ID number whole', async () => {
    const good = (i: number, g: Grid): (string | number)[] => [`测试导入${i}`, idNumber(100 + i), '13800000000', i % 2 ? '独居老人' : 'drug_user', '', `测试村 ${i} 号`, g.lon, g.lat, g.code, ''];
    const rows = Array.from({ length: 30 }, (_, i) => good(i + 1, i % 2 ? mine : next));
    const bad = rows.map((r) => [...r]);
    bad[19][1] = '330503197001010010';
    const refused = await upload('gridder', 'key-persons', await xlsx(KEY_PERSON_COLUMNS, bad));
    expect(refused.status).toBe(422);
    const body = await refused.json();
    expect(body.issues).toEqual([{ path: 'rows.21.身份证号', message: '第 21 行 B 列（身份证号）：身份证号校验位不符' }]);
    expect(body.message).toContain('没有写入任何数据');
    expect(await countOf('key_persons')).toBe(0);
    const twice = rows.map((r) => [...r]);
    twice[7][1] = rows[2][1];
    twice[9][6] = 'east';
    expect((await (await upload('gridder', 'key-persons', await xlsx(KEY_PERSON_COLUMNS, twice))).json()).issues.map((i: { path: string }) => i.path)).toEqual(['rows.9.身份证号', 'rows.11.经度']);
    expect(await countOf('key_persons')).toBe(0);

    const ok = await upload('gridder', 'key-persons', await xlsx(KEY_PERSON_COLUMNS, rows));
    expect(ok.status).toBe(201);
    expect((await ok.json()).imported).toBe(30);
    const { rows: stored } = await ts.app.db.query(`SELECT category, visits_per_month AS v, count(*)::int AS n FROM key_persons WHERE name LIKE '测试导入%' GROUP BY 1, 2 ORDER BY 1`);
    expect(stored).toEqual([{ category: 'drug_user', v: 2, n: 15 }, { category: 'elderly_alone', v: 2, n: 15 }]);
    const again = await upload('gridder', 'key-persons', await xlsx(KEY_PERSON_COLUMNS, rows.slice(0, 1)));
    expect((await again.json()).issues).toEqual([{ path: 'rows.2.身份证号', message: '第 2 行 B 列（身份证号）：该身份证号已登记为重点人员' }]);
  });
});

describe('demo seed (issue 12): key persons in every grid, visits from the category', () => {
  it('puts two to four in each grid, inside it, with valid ID numbers', async () => {
    const { rows } = await ts.app.db.query<{ grids: number; min: number; max: number; outside: number; off: number }>(
      `SELECT count(DISTINCT g.code)::int AS grids, min(n)::int AS min, max(n)::int AS max, sum(outside)::int AS outside, sum(off)::int AS off FROM (
         SELECT g.code, count(k.id) AS n, count(*) FILTER (WHERE NOT ST_Intersects(g.geom, k.location)) AS outside,
                count(*) FILTER (WHERE k.id_number !~ '^330503[0-9]{11}[0-9X]$') AS off
           FROM regions g JOIN key_persons k ON k.grid_code = g.code AND k.name NOT LIKE '测试%' WHERE g.level = 'grid' AND g.code ~ '^[0-9]+$' GROUP BY g.code) x JOIN regions g USING (code)`,
    );
    // The demo's grids (statistical codes, all digits): other files plant grids of their own after the seed ran.
    const { rows: all } = await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM regions WHERE level = 'grid' AND code ~ '^[0-9]+$'`);
    expect(rows[0]).toEqual({ grids: all[0].n, min: 2, max: 4, outside: 0, off: 0 });
    const { rows: visits } = await ts.app.db.query(`SELECT DISTINCT category, visits_per_month AS v FROM key_persons WHERE name NOT LIKE '测试%' AND category = 'mental_disorder'`);
    expect(visits).toEqual([{ category: 'mental_disorder', v: 2 }]);
  });
});
