import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditActions, AuditPage, AuditRow } from '@/lib/contracts/audit';
import { hashPassword } from '../auth/password';
import { DEMO_PASSWORD } from '../config';
import { login, withTestServer } from '../test/server';

const ts = withTestServer();
/** A district leader: the demo has none. Kept across runs (the log it writes pins it) and disabled after. */
const LEADER = 'audit_leader';
/** This run's objects: the database outlives a run, so every assertion is about these or holds for any row. */
const RUN = randomUUID().slice(0, 8);

let admin = '';
let leader = '';
let leaderId = 0;

const get = (path: string, cookie?: string) => fetch(`${ts.url}${path}`, { headers: cookie ? { cookie } : {} });

async function list(query: string, cookie = admin): Promise<AuditPage> {
  const res = await get(`/api/v1/audit?${query}`, cookie);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as AuditPage;
}

async function insert(action: string, target: string, at: string | null = null, accountId: number | null = leaderId): Promise<void> {
  await ts.app.db.query(
    `INSERT INTO audit_log (at, account_id, role, action, target, detail, ip) VALUES (coalesce($1::timestamptz, now()), $2, 'district_leader', $3, $4, $5, '127.0.0.1')`,
    [at, accountId, action, target, { run: RUN }],
  );
}

beforeAll(async () => {
  const hash = await hashPassword(DEMO_PASSWORD);
  const { rows } = await ts.app.db.query<{ id: number }>(
    `INSERT INTO accounts (username, password_hash, role, display_name) VALUES ($1, $2, 'district_leader', '审计测试领导')
     ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, disabled = false RETURNING id`,
    [LEADER, hash],
  );
  leaderId = rows[0].id;
  [admin, leader] = await Promise.all([login(ts.url, 'admin'), login(ts.url, LEADER)]);
  await insert('test.alpha', `autest:${RUN}-a`);
  await insert('test.beta', `autest:${RUN}-b`, null, null);
  for (const day of ['01', '02', '03']) await insert('test.dated', `autest:${RUN}-dated`, `2001-01-${day}T00:00:00Z`);
  for (let i = 0; i < 7; i++) await insert('test.page', `autest:${RUN}-page`);
});

afterAll(async () => {
  await ts.app.db.query(`UPDATE accounts SET disabled = true WHERE username = $1`, [LEADER]);
});

describe('GET /api/v1/audit', () => {
  it('is for the administrator and the district roles only', async () => {
    expect((await get('/api/v1/audit')).status).toBe(401);
    const [deputy, gridder] = await Promise.all([login(ts.url, 'deputy'), login(ts.url, 'gridder')]);
    expect((await get('/api/v1/audit', deputy)).status).toBe(403);
    expect((await get('/api/v1/audit', gridder)).status).toBe(403);
    expect((await get('/api/v1/audit/export.xlsx', gridder)).status).toBe(403);
    expect((await get('/api/v1/audit/actions', deputy)).status).toBe(403);
    expect((await list('limit=1', leader)).rows).toHaveLength(1);
  });

  it('names the field at fault', async () => {
    for (const [query, path] of [
      ['from=yesterday', 'query.from'],
      ['limit=501', 'query.limit'],
      ['before=-1', 'query.before'],
      ['entity=Event%3A1', 'query.entity'],
      ['from=2001-01-02T00:00:00Z&to=2001-01-01T00:00:00Z', 'query.to'],
      ['actor=admin', 'query'],
    ]) {
      const res = await get(`/api/v1/audit?${query}`, admin);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { issues: { path: string }[] };
      expect(body.issues.map((i) => i.path), query).toContain(path);
    }
    expect((await get('/api/v1/audit/export.xlsx?from=yesterday', admin)).status).toBe(400);
  });

  it('lists newest first with the actor joined', async () => {
    const { rows } = await list('limit=50');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => b - a));
    const mine = rows.find((r) => r.target === `autest:${RUN}-a`);
    expect(mine).toMatchObject({ accountId: leaderId, username: LEADER, name: '审计测试领导', role: 'district_leader', action: 'test.alpha', detail: { run: RUN }, ip: '127.0.0.1' });
    expect(rows.find((r) => r.target === `autest:${RUN}-b`)).toMatchObject({ accountId: null, username: null, name: null });
    const login = (await list('action=auth.login&person=admin&limit=1')).rows[0];
    expect(login).toMatchObject({ username: 'admin', role: 'admin', action: 'auth.login' });
    expect(login.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('filters by person: an account id or part of a username or name', async () => {
    for (const person of [String(leaderId), 'audit_lea', '审计测试']) {
      const { rows } = await list(`person=${encodeURIComponent(person)}&limit=500`);
      expect(rows.every((r) => r.accountId === leaderId), person).toBe(true);
      expect(rows.some((r) => r.target === `autest:${RUN}-a`), person).toBe(true);
    }
    // A LIKE wildcard in the box is a character, not "anything".
    expect((await list('person=%25')).rows.every((r) => r.username?.includes('%'))).toBe(true);
  });

  it('filters by entity: a kind or one object', async () => {
    const kind = await list('entity=autest&limit=500');
    expect(kind.rows.every((r) => r.target?.startsWith('autest:'))).toBe(true);
    expect(kind.rows.filter((r) => r.target?.startsWith(`autest:${RUN}`))).toHaveLength(12);
    const one = await list(`entity=autest:${RUN}-a`);
    expect(one.rows.map((r) => r.action)).toEqual(['test.alpha']);
    // event:1 is not event:12.
    expect((await list('entity=event:1&limit=500')).rows.every((r) => r.target === 'event:1')).toBe(true);
  });

  it('filters by action: one or a family', async () => {
    const family = await list(`action=test.&entity=autest:${RUN}-a`);
    expect(family.rows.map((r) => r.action)).toEqual(['test.alpha']);
    const one = await list(`action=test.beta&limit=500`);
    expect(one.rows.every((r) => r.action === 'test.beta')).toBe(true);
    expect(one.rows.some((r) => r.target === `autest:${RUN}-b`)).toBe(true);
    const auth = await list('action=auth.&limit=100');
    expect(auth.rows.length).toBeGreaterThan(0);
    expect(auth.rows.every((r) => r.action.startsWith('auth.'))).toBe(true);
  });

  it('filters by time: from inclusive, to exclusive', async () => {
    const q = `entity=autest:${RUN}-dated&from=2001-01-02T00:00:00Z&to=2001-01-03T08:00:00%2B08:00`;
    expect((await list(q)).rows.map((r) => r.at)).toEqual(['2001-01-02T00:00:00.000Z']);
  });

  it('pages by keyset into disjoint pages', async () => {
    const all = (await list(`entity=autest:${RUN}-page`)).rows;
    expect(all).toHaveLength(7);
    const seen: AuditRow[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const page: AuditPage = await list(`entity=autest:${RUN}-page&limit=3${before ? `&before=${before}` : ''}`);
      seen.push(...page.rows);
      before = page.nextBefore;
      pages++;
    } while (before !== null);
    expect(pages).toBe(3);
    expect(seen.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(new Set(seen.map((r) => r.id)).size).toBe(7);
  });

  it('lists the distinct actions for the filter', async () => {
    const res = await get('/api/v1/audit/actions', admin);
    const { actions } = (await res.json()) as AuditActions;
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'test.alpha', 'test.page']));
    expect(new Set(actions).size).toBe(actions.length);
  });
});

describe('GET /api/v1/audit/export.xlsx', () => {
  async function workbook(res: Response): Promise<ExcelJS.Worksheet> {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-\d{4}-\d\d-\d\d\.xlsx"$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    return wb.getWorksheet('审计日志')!;
  }

  it('holds what the JSON shows, in Shanghai time, and is itself audited', async () => {
    const json = (await list('limit=500')).rows;
    const before = json[0].id + 1;
    const ws = await workbook(await get(`/api/v1/audit/export.xlsx?before=${before}`, admin));
    expect(ws.getRow(1).values).toEqual([undefined, '时间', '账号', '姓名', '角色', '操作', '对象', '详情', 'IP']);
    expect(ws.rowCount - 1).toBeGreaterThanOrEqual(json.length);
    json.forEach((r, i) => {
      const [, at, username, name, role, action, target, detail, ip] = ws.getRow(i + 2).values as unknown[];
      expect(Math.abs((at as Date).getTime() - (Date.parse(r.at) + 8 * 3600_000))).toBeLessThan(1000);
      expect({ username, name, action, target, ip }).toEqual({
        username: r.username ?? undefined,
        name: r.name ?? undefined,
        action: r.action,
        target: r.target ?? undefined,
        ip: r.ip ?? undefined,
      });
      if (r.role === 'district_leader') expect(role).toBe('区级领导');
      if (r.detail) expect(JSON.parse(detail as string)).toEqual(r.detail);
    });

    const exported = (await list('action=audit.export&person=admin&limit=1')).rows[0];
    expect(exported).toMatchObject({ username: 'admin', role: 'admin', detail: { before } });
    expect(exported.id).toBeGreaterThan(json[0].id);
  });

  it('applies the filters', async () => {
    const ws = await workbook(await get(`/api/v1/audit/export.xlsx?entity=autest:${RUN}-page&action=test.page`, leader));
    expect(ws.rowCount).toBe(8);
    const exported = (await list(`action=audit.export&person=${leaderId}&limit=1`)).rows[0];
    expect(exported.detail).toEqual({ entity: `autest:${RUN}-page`, action: 'test.page' });
  });
});
