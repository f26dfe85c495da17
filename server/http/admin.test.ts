import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminCategory, AdminTaxonomy, AdminTimeLimit, Holiday, HolidayYear } from '@/lib/contracts/admin';
import type { DispatchProposalV1 } from '@/lib/contracts/command';
import type { EventReceiptV1 } from '@/lib/contracts/events';
import type { IncidentSeverity } from '@/lib/contracts/live';
import { resolveLimits, type TimeLimitRow } from '@/lib/events/deadlines';
import { addWorkingDays, isWorkingDay, shanghaiDay, type HolidayCalendar } from '@/lib/time/workdays';
import { demoApiKey } from '../seed/devices';
import { login, withTestServer } from '../test/server';
import type { AdminJointRule } from '@/lib/contracts/admin';

const ts = withTestServer();
const HOTLINE = demoApiKey('hotline_12345');

let admin = '';
let deputy = '';
let villageCode = '';
/** Categories this file creates: other test files share the database, so nothing seeded is touched. */
const created: string[] = [];

function call(method: string, path: string, body: unknown = method === 'GET' ? undefined : {}, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${ts.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const as = (cookie: string) => ({ cookie });

async function newCategory(over: Record<string, unknown> = {}): Promise<AdminCategory> {
  const code = `t_${randomUUID().slice(0, 8)}`;
  const res = await call('POST', '/api/v1/admin/categories', { code, label: `测试类 ${code}`, severity: 'normal', sort: 99_000, ...over }, as(admin));
  expect(res.status).toBe(201);
  const row = (await res.json()) as AdminCategory;
  created.push(row.code);
  return row;
}

function reportEvent(category: string, over: Record<string, unknown> = {}): Promise<Response> {
  return call('POST', '/api/v1/events', { v: 1, idempotencyKey: randomUUID(), category, title: `测试事件 ${randomUUID()}`, villageCode, ...over }, { authorization: `Bearer ${HOTLINE}` });
}

async function reported(category: string, over: Record<string, unknown> = {}): Promise<{ id: number; reportedAt: Date; due: Date; red: Date }> {
  const res = await reportEvent(category, over);
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as EventReceiptV1;
  const { rows } = await ts.app.db.query<{ reportedAt: Date; due: Date; red: Date }>(
    `SELECT reported_at AS "reportedAt", accept_due_at AS due, accept_red_at AS red FROM events WHERE id = $1`,
    [id],
  );
  return { id, ...rows[0] };
}

/** The calendar and limits as stored, read past the server's cache. */
async function storedCalendar(): Promise<HolidayCalendar> {
  const { rows } = await ts.app.db.query<{ day: string; kind: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM holidays`);
  return {
    holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.day)),
    workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.day)),
  };
}
async function storedLimits(): Promise<TimeLimitRow[]> {
  const { rows } = await ts.app.db.query<TimeLimitRow>(
    `SELECT category_code AS category, severity, accept_yellow AS "acceptYellow", accept_red AS "acceptRed",
            handle_yellow AS "handleYellow", handle_red AS "handleRed" FROM time_limits`,
  );
  return rows;
}

async function auditOf(target: string): Promise<{ action: string; role: string; accountId: number | null; detail: Record<string, unknown> }[]> {
  const { rows } = await ts.app.db.query(
    `SELECT action, role, account_id AS "accountId", detail FROM audit_log WHERE target = $1 ORDER BY id`,
    [target],
  );
  return rows;
}

beforeAll(async () => {
  [admin, deputy] = await Promise.all([login(ts.url, 'admin'), login(ts.url, 'deputy')]);
  // A village outside the demo accounts' station: this file's events must not fill that station's queue and notices.
  const { rows } = await ts.app.db.query<{ code: string }>(
    `SELECT village_code AS code FROM station_villages
      WHERE station_id <> (SELECT station_id FROM accounts WHERE username = 'deputy') ORDER BY village_code LIMIT 1`,
  );
  villageCode = rows[0].code;
});

afterAll(async () => {
  // Events keep naming these categories (and events are never deleted), so they are retired, not removed,
  // and this file's events are closed so that no supervision run elsewhere cards them.
  if (created.length === 0) return;
  await ts.app.db.query(`DELETE FROM time_limits WHERE category_code = ANY($1::text[])`, [created]);
  await ts.app.db.query(`UPDATE categories SET active = false WHERE code = ANY($1::text[])`, [created]);
  await ts.app.db.query(`UPDATE events SET state = 'closed' WHERE category = ANY($1::text[]) AND state = 'reported'`, [created]);
});

describe('only the administrator edits the taxonomy (issue 4, editTaxonomy)', () => {
  const MUTATING: [string, string, unknown][] = [
    ['POST', '/api/v1/admin/categories', { code: 'x_forbidden', label: '不许', severity: 'low' }],
    ['PATCH', '/api/v1/admin/categories/dispute', { label: '改名' }],
    ['PUT', '/api/v1/admin/time-limits', { acceptYellow: 0, acceptRed: 0, handleYellow: 0, handleRed: 0 }],
    ['DELETE', '/api/v1/admin/time-limits/1', {}],
    ['PUT', '/api/v1/admin/holidays/2026-12-25', { kind: 'holiday', name: '不许' }],
    ['DELETE', '/api/v1/admin/holidays/2026-01-01', {}],
    ['PUT', '/api/v1/admin/joint-rules/dispute', { forces: ['grid'] }],
  ];

  it('a non-admin gets 403 on every mutating route and the data stays as it was', async () => {
    const chief = await login(ts.url, 'chief');
    const before = await ts.app.db.query(`SELECT (SELECT count(*) FROM audit_log WHERE action ~ '^(category|time_limit|holiday|joint_rule)\\.') AS audits, (SELECT json_agg(t ORDER BY id) FROM time_limits t) AS limits,
      (SELECT label FROM categories WHERE code = 'dispute') AS label, (SELECT count(*) FROM holidays) AS holidays, (SELECT forces FROM joint_rules WHERE category_code = 'dispute') AS rule`);
    for (const cookie of [deputy, chief]) {
      for (const [method, path, body] of MUTATING) {
        const res = await call(method, path, body, as(cookie));
        expect(res.status, `${method} ${path}`).toBe(403);
      }
      expect((await call('GET', '/api/v1/admin/taxonomy', undefined, as(cookie))).status).toBe(403);
      expect((await call('GET', '/api/v1/admin/holidays', undefined, as(cookie))).status).toBe(403);
      expect((await call('GET', '/api/v1/admin/joint-rules', undefined, as(cookie))).status).toBe(403);
    }
    for (const [method, path, body] of MUTATING) expect((await call(method, path, body)).status, `${method} ${path}`).toBe(401);
    const after = await ts.app.db.query(`SELECT (SELECT count(*) FROM audit_log WHERE action ~ '^(category|time_limit|holiday|joint_rule)\\.') AS audits, (SELECT json_agg(t ORDER BY id) FROM time_limits t) AS limits,
      (SELECT label FROM categories WHERE code = 'dispute') AS label, (SELECT count(*) FROM holidays) AS holidays, (SELECT forces FROM joint_rules WHERE category_code = 'dispute') AS rule`);
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('a DELETE must be JSON like any change (415), so a form cannot forge it', async () => {
    const res = await fetch(`${ts.url}/api/v1/admin/holidays/2026-01-01`, { method: 'DELETE', headers: { cookie: admin } });
    expect(res.status).toBe(415);
  });

  it('the administrator reads everything, retired categories included', async () => {
    const retired = await newCategory();
    await call('PATCH', `/api/v1/admin/categories/${retired.code}`, { active: false }, as(admin));
    const res = await call('GET', '/api/v1/admin/taxonomy', undefined, as(admin));
    expect(res.status).toBe(200);
    const t = (await res.json()) as AdminTaxonomy;
    expect(t.categories.find((c) => c.code === retired.code)).toMatchObject({ active: false });
    expect(t.categories.find((c) => c.code === 'hazard.fire')).toMatchObject({ parentCode: 'hazard', department: 'fire' });
    expect(t.limits[0]).toMatchObject({ category: null, severity: null });
    expect(t.departments.map((d) => d.code)).toContain('police');
    const open = (await (await call('GET', '/api/v1/categories', undefined, as(admin))).json()) as { code: string }[];
    expect(open.map((c) => c.code)).not.toContain(retired.code);
  });
});

describe('categories', () => {
  it('creates a category and a sub-category, audited with who did it', async () => {
    const parent = await newCategory({ department: 'police', severity: 'high' });
    expect(parent).toMatchObject({ parentCode: null, department: 'police', severity: 'high', active: true, sort: 99_000 });
    const sub = await newCategory({ code: `${parent.code}.night`, parentCode: parent.code, department: null, sort: undefined });
    expect(sub).toMatchObject({ parentCode: parent.code, department: null, sort: 99_001 });

    const audits = await auditOf(`category:${sub.code}`);
    const { rows } = await ts.app.db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = 'admin'`);
    expect(audits).toEqual([expect.objectContaining({ action: 'category.create', role: 'admin', accountId: rows[0].id })]);
    expect(audits[0].detail.after).toMatchObject({ code: sub.code, parentCode: parent.code });

    // The new sub-category is usable at once.
    expect((await reportEvent(parent.code, { subcategory: sub.code })).status).toBe(201);
  });

  it('refuses a duplicate code (409), a malformed one (400), a stray sub-category code (400), an unknown parent or department (422)', async () => {
    const parent = await newCategory();
    const post = (body: Record<string, unknown>) => call('POST', '/api/v1/admin/categories', { label: '测试', severity: 'low', ...body }, as(admin));
    const issue = async (res: Response) => ((await res.json()) as { issues: { path: string; message: string }[] }).issues[0];

    const dup = await post({ code: parent.code });
    expect(dup.status).toBe(409);
    expect((await issue(dup)).path).toBe('body.code');
    const bad = await post({ code: 'Fire Hazard' });
    expect(bad.status).toBe(400);
    expect(await issue(bad)).toMatchObject({ path: 'body.code', message: expect.stringContaining('小写字母') });
    const stray = await post({ code: 'hazard.stray', parentCode: parent.code });
    expect(stray.status).toBe(400);
    expect(await issue(stray)).toMatchObject({ path: 'body.code', message: expect.stringContaining(`${parent.code}.`) });
    const orphan = await post({ code: 'nowhere_x.sub', parentCode: 'nowhere_x' });
    expect(orphan.status).toBe(422);
    expect((await issue(orphan)).path).toBe('body.parentCode');
    const dept = await post({ code: `${parent.code}.d`, parentCode: parent.code, department: 'ministry_of_magic' });
    expect(dept.status).toBe(422);
    expect((await issue(dept)).path).toBe('body.department');
    const empty = await post({ code: `${parent.code}.e`, parentCode: parent.code, label: '  ' });
    expect(empty.status).toBe(400);
    expect((await issue(empty)).path).toBe('body.label');
  });

  it('edits label, department, severity and sort, keeping before and after in the audit log', async () => {
    const c = await newCategory({ department: 'market' });
    const res = await call('PATCH', `/api/v1/admin/categories/${c.code}`, { label: '改过的名称', department: null, severity: 'critical', sort: 99_500 }, as(admin));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: c.code, label: '改过的名称', department: null, severity: 'critical', sort: 99_500, active: true });
    const audits = await auditOf(`category:${c.code}`);
    expect(audits.map((a) => a.action)).toEqual(['category.create', 'category.update']);
    expect(audits[1].detail).toMatchObject({ before: { label: c.label, department: 'market' }, after: { label: '改过的名称', department: null } });
    // A new event takes the category's new default severity.
    const e = await reportEvent(c.code);
    const { rows } = await ts.app.db.query(`SELECT severity FROM events WHERE id = $1`, [((await e.json()) as EventReceiptV1).id]);
    expect(rows[0].severity).toBe('critical');

    expect((await call('PATCH', `/api/v1/admin/categories/${c.code}`, {}, as(admin))).status).toBe(400);
    expect((await call('PATCH', `/api/v1/admin/categories/${c.code}`, { department: 'ministry_of_magic' }, as(admin))).status).toBe(422);
    expect((await call('PATCH', '/api/v1/admin/categories/no_such_code', { label: 'x' }, as(admin))).status).toBe(404);
  });

  it('retiring a category (never deleting it) makes new reports of it 422; reactivating restores it', async () => {
    const c = await newCategory();
    const sub = await newCategory({ code: `${c.code}.sub`, parentCode: c.code });
    expect((await reportEvent(c.code, { subcategory: sub.code })).status).toBe(201);

    expect((await call('PATCH', `/api/v1/admin/categories/${sub.code}`, { active: false }, as(admin))).status).toBe(200);
    const noSub = await reportEvent(c.code, { subcategory: sub.code });
    expect(noSub.status).toBe(422);
    expect((await noSub.json()).issues[0].path).toBe('body.subcategory');

    expect((await call('PATCH', `/api/v1/admin/categories/${c.code}`, { active: false }, as(admin))).status).toBe(200);
    const retired = await reportEvent(c.code);
    expect(retired.status).toBe(422);
    expect((await retired.json()).issues[0].path).toBe('body.category');
    expect((await auditOf(`category:${c.code}`)).map((a) => a.action)).toEqual(['category.create', 'category.retire']);

    expect((await call('PATCH', `/api/v1/admin/categories/${c.code}`, { active: true }, as(admin))).status).toBe(200);
    expect((await reportEvent(c.code)).status).toBe(201);
    expect(await ts.app.db.query(`SELECT 1 FROM categories WHERE code = $1`, [sub.code]).then((r) => r.rowCount)).toBe(1);
  });
});

describe('time limits', () => {
  it('a new row for a category sets the deadlines of new events of it, in working days', async () => {
    const c = await newCategory();
    const cal = await storedCalendar();
    const first = await reported(c.code);
    const was = resolveLimits(await storedLimits(), { category: c.code, severity: 'normal' });
    expect(first.due).toEqual(addWorkingDays(first.reportedAt, was.acceptYellow, cal));

    const put = await call('PUT', '/api/v1/admin/time-limits', { category: c.code, acceptYellow: 4, acceptRed: 6, handleYellow: 7, handleRed: 12 }, as(admin));
    expect(put.status).toBe(201);
    const row = (await put.json()) as AdminTimeLimit;
    expect(row).toMatchObject({ category: c.code, severity: null, acceptYellow: 4, acceptRed: 6 });
    expect((await auditOf(`time_limit:${row.id}`))[0]).toMatchObject({ action: 'time_limit.put', role: 'admin', detail: { before: null, after: row } });

    const next = await reported(c.code);
    expect(next.due).toEqual(addWorkingDays(next.reportedAt, 4, cal));
    expect(next.red).toEqual(addWorkingDays(next.reportedAt, 6, cal));
    expect(next.due.getTime()).toBeGreaterThan(addWorkingDays(next.reportedAt, was.acceptYellow, cal).getTime());
    // The event reported before the change keeps its deadline.
    const { rows } = await ts.app.db.query<{ due: Date }>(`SELECT accept_due_at AS due FROM events WHERE id = $1`, [first.id]);
    expect(rows[0].due).toEqual(first.due);

    // The same scope again updates the row; a row for one severity is more specific still.
    const again = await call('PUT', '/api/v1/admin/time-limits', { category: c.code, severity: null, acceptYellow: 3, acceptRed: 6, handleYellow: 7, handleRed: 12 }, as(admin));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: row.id, acceptYellow: 3 });
    const critical = await call('PUT', '/api/v1/admin/time-limits', { category: c.code, severity: 'critical', acceptYellow: 0, acceptRed: 1, handleYellow: 1, handleRed: 2 }, as(admin));
    expect(critical.status).toBe(201);
    const urgent = await reported(c.code, { severity: 'critical' satisfies IncidentSeverity });
    expect(urgent.due).toEqual(addWorkingDays(urgent.reportedAt, 0, cal));
    expect(urgent.red).toEqual(addWorkingDays(urgent.reportedAt, 1, cal));

    // Deleting the category's rows falls back to what applied before.
    for (const id of [row.id, ((await critical.json()) as AdminTimeLimit).id]) {
      const del = await call('DELETE', `/api/v1/admin/time-limits/${id}`, {}, as(admin));
      expect(del.status).toBe(200);
      expect((await auditOf(`time_limit:${id}`)).at(-1)).toMatchObject({ action: 'time_limit.delete', role: 'admin' });
    }
    const after = await reported(c.code);
    expect(after.due).toEqual(addWorkingDays(after.reportedAt, was.acceptYellow, cal));
  });

  it('refuses red before yellow, more than 60 days, an unknown category, and deleting the default row', async () => {
    const put = (body: Record<string, unknown>) => call('PUT', '/api/v1/admin/time-limits', { acceptYellow: 1, acceptRed: 2, handleYellow: 5, handleRed: 10, ...body }, as(admin));
    const c = await newCategory();
    const early = await put({ category: c.code, acceptYellow: 3, acceptRed: 2 });
    expect(early.status).toBe(400);
    expect((await early.json()).issues).toEqual([{ path: 'body.acceptRed', message: '红牌时限不能短于黄牌时限' }]);
    const long = await put({ category: c.code, handleRed: 61 });
    expect(long.status).toBe(400);
    expect((await long.json()).issues[0].path).toBe('body.handleRed');
    const negative = await put({ category: c.code, acceptYellow: -1 });
    expect(negative.status).toBe(400);
    expect((await negative.json()).issues[0].path).toBe('body.acceptYellow');
    const unknown = await put({ category: 'no_such_code' });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).issues[0].path).toBe('body.category');

    const t = (await (await call('GET', '/api/v1/admin/taxonomy', undefined, as(admin))).json()) as AdminTaxonomy;
    const def = t.limits.find((l) => l.category === null && l.severity === null)!;
    const del = await call('DELETE', `/api/v1/admin/time-limits/${def.id}`, {}, as(admin));
    expect(del.status).toBe(409);
    expect((await ts.app.db.query(`SELECT 1 FROM time_limits WHERE id = $1`, [def.id])).rowCount).toBe(1);
    expect((await call('DELETE', '/api/v1/admin/time-limits/999999', {}, as(admin))).status).toBe(404);
    expect((await call('DELETE', '/api/v1/admin/time-limits/abc', {}, as(admin))).status).toBe(400);
  });
});

describe('holidays', () => {
  it('a holiday added on the next working day moves the next deadline by a working day', async () => {
    const c = await newCategory();
    const put = await call('PUT', '/api/v1/admin/time-limits', { category: c.code, acceptYellow: 1, acceptRed: 2, handleYellow: 5, handleRed: 10 }, as(admin));
    expect(put.status).toBe(201);
    // Not across Shanghai midnight: "the next working day" must mean the same day for both reports.
    const msToMidnight = 86_400_000 - ((Date.now() + 8 * 3_600_000) % 86_400_000);
    if (msToMidnight < 15_000) await new Promise((r) => setTimeout(r, msToMidnight + 1000));

    const cal = await storedCalendar();
    const before = await reported(c.code);
    const nextDay = shanghaiDay(before.due);
    expect(before.due).toEqual(addWorkingDays(before.reportedAt, 1, cal));
    expect(isWorkingDay(nextDay, cal)).toBe(true);

    const old = (await ts.app.db.query<Holiday>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, name FROM holidays WHERE day = $1`, [nextDay])).rows[0];
    try {
      const res = await call('PUT', `/api/v1/admin/holidays/${nextDay}`, { kind: 'holiday', name: '测试假日' }, as(admin));
      expect(res.status).toBe(old ? 200 : 201);
      expect(await res.json()).toEqual({ day: nextDay, kind: 'holiday', name: '测试假日' });
      expect((await auditOf(`holiday:${nextDay}`)).at(-1)).toMatchObject({ action: 'holiday.put', role: 'admin', detail: { before: old ?? null } });

      const year = (await (await call('GET', `/api/v1/admin/holidays?year=${nextDay.slice(0, 4)}`, undefined, as(admin))).json()) as HolidayYear;
      expect(year.days).toContainEqual({ day: nextDay, kind: 'holiday', name: '测试假日' });
      expect(year.years).toContain(Number(nextDay.slice(0, 4)));

      const withHoliday: HolidayCalendar = { holidays: new Set([...cal.holidays, nextDay]), workdays: new Set([...cal.workdays].filter((d) => d !== nextDay)) };
      const after = await reported(c.code);
      expect(after.due).toEqual(addWorkingDays(after.reportedAt, 1, withHoliday));
      expect(shanghaiDay(after.due) > nextDay).toBe(true);
      expect(isWorkingDay(shanghaiDay(after.due), withHoliday)).toBe(true);
      // Exactly one working day later: nothing but days off lies between.
      for (let d = new Date(`${nextDay}T12:00:00Z`); ; ) {
        d = new Date(d.getTime() + 86_400_000);
        const day = d.toISOString().slice(0, 10);
        if (day === shanghaiDay(after.due)) break;
        expect(isWorkingDay(day, withHoliday), day).toBe(false);
      }
    } finally {
      const restore = old
        ? await call('PUT', `/api/v1/admin/holidays/${nextDay}`, { kind: old.kind, name: old.name }, as(admin))
        : await call('DELETE', `/api/v1/admin/holidays/${nextDay}`, {}, as(admin));
      expect(restore.status).toBe(200);
    }
    const restored = await reported(c.code);
    expect(restored.due).toEqual(addWorkingDays(restored.reportedAt, 1, cal));
    expect((await auditOf(`holiday:${nextDay}`)).at(-1)?.action).toBe(old ? 'holiday.put' : 'holiday.delete');
  });

  it('names what is wrong with a day', async () => {
    const bad = await call('PUT', '/api/v1/admin/holidays/2026-02-30', { kind: 'holiday', name: '不存在' }, as(admin));
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues[0].path).toBe('params.day');
    // 2031-03-05 is a Wednesday: a make-up working day there would change nothing.
    const weekday = await call('PUT', '/api/v1/admin/holidays/2031-03-05', { kind: 'workday', name: '调休' }, as(admin));
    expect(weekday.status).toBe(422);
    expect((await weekday.json()).issues[0].path).toBe('body.kind');
    const noName = await call('PUT', '/api/v1/admin/holidays/2031-03-05', { kind: 'holiday', name: '' }, as(admin));
    expect(noName.status).toBe(400);
    expect((await noName.json()).issues[0].path).toBe('body.name');
    expect((await call('DELETE', '/api/v1/admin/holidays/2031-03-05', {}, as(admin))).status).toBe(404);
    expect((await call('GET', '/api/v1/admin/holidays?year=abc', undefined, as(admin))).status).toBe(400);
    const y2026 = (await (await call('GET', '/api/v1/admin/holidays?year=2026', undefined, as(admin))).json()) as HolidayYear;
    expect(y2026.days).toContainEqual({ day: '2026-02-14', kind: 'workday', name: '春节调休' });
    expect(y2026.days.every((d) => d.day.startsWith('2026-'))).toBe(true);
  });
});

describe('joint-handling rules (issue 5, S12)', () => {
  /** A point inside a grid of the deputy's station, so the proposal there has units to rank. */
  async function deputyPoint(): Promise<{ lon: number; lat: number }> {
    const { rows } = await ts.app.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
        WHERE g.level = 'grid' AND sv.station_id = (SELECT station_id FROM accounts WHERE username = 'deputy')
        ORDER BY g.code LIMIT 1`,
    );
    return rows[0];
  }
  const forcesOf = async (eventId: number) => {
    const res = await call('GET', `/api/v1/dispatches/proposal?event=${eventId}`, undefined, as(deputy));
    expect(res.status).toBe(200);
    return ((await res.json()) as DispatchProposalV1).forces.map((f) => f.force);
  };
  const putRule = (code: string, forces: unknown, cookie = admin) => call('PUT', `/api/v1/admin/joint-rules/${code}`, { forces }, as(cookie));

  it('the administrator sets a rule and the next proposal follows it, the routed department first; audited with before and after', async () => {
    // A category of this file's own, so no other test's proposals move; its rule is removed at the end.
    const c = await newCategory({ department: 'market' });
    const res = await reportEvent(c.code, { villageCode: undefined, location: await deputyPoint() });
    expect(res.status).toBe(201);
    const eventId = ((await res.json()) as EventReceiptV1).id;
    try {
      // No rule yet: the gridders alone.
      expect(await forcesOf(eventId)).toEqual(['grid']);

      const set = await putRule(c.code, ['police', 'grid']);
      expect(set.status).toBe(201);
      expect(await set.json()).toMatchObject({ category: c.code, forces: ['police', 'grid'] } satisfies Partial<AdminJointRule>);
      expect(await forcesOf(eventId)).toEqual(['police', 'grid']);

      // Routed to a department the rule leaves out: it leads, the rule's order follows.
      const step = (body: Record<string, unknown>) => call('POST', `/api/v1/events/${eventId}/actions`, body, as(deputy));
      expect((await step({ action: 'accept' })).status).toBe(201);
      expect((await step({ action: 'assign', department: 'market' })).status).toBe(201);
      expect(await forcesOf(eventId)).toEqual(['market', 'police', 'grid']);

      // A rule that names the routed department keeps its own order.
      const again = await putRule(c.code, ['grid', 'market', 'police']);
      expect(again.status).toBe(200);
      expect(await forcesOf(eventId)).toEqual(['grid', 'market', 'police']);

      const list = (await (await call('GET', '/api/v1/admin/joint-rules', undefined, as(admin))).json()) as AdminJointRule[];
      expect(list.find((r) => r.category === c.code)?.forces).toEqual(['grid', 'market', 'police']);
      expect(list.find((r) => r.category === 'hazard.fire')?.forces).toEqual(['fire', 'police', 'grid']);

      const audits = await auditOf(`joint_rule:${c.code}`);
      expect(audits).toEqual([
        expect.objectContaining({ action: 'joint_rule.update', role: 'admin', detail: expect.objectContaining({ before: null }) }),
        expect.objectContaining({ action: 'joint_rule.update', role: 'admin' }),
      ]);
      expect(audits[1].detail).toMatchObject({ before: { category: c.code, forces: ['police', 'grid'] }, after: { category: c.code, forces: ['grid', 'market', 'police'] } });
    } finally {
      await ts.app.db.query(`DELETE FROM joint_rules WHERE category_code = $1`, [c.code]);
      await ts.app.db.query(`UPDATE events SET state = 'closed' WHERE id = $1`, [eventId]);
      ts.app.reference.invalidate();
    }
    expect(await forcesOf(eventId)).toEqual(['market', 'grid']);
  });

  it('a sub-category\'s rule comes before its category\'s; a seeded rule edited is put back', async () => {
    const was = (await ts.app.db.query<{ forces: string[] }>(`SELECT forces FROM joint_rules WHERE category_code = 'hazard'`)).rows[0].forces;
    const c = await newCategory();
    const sub = await newCategory({ code: `${c.code}.sub`, parentCode: c.code });
    const res = await reportEvent(c.code, { subcategory: sub.code, villageCode: undefined, location: await deputyPoint() });
    expect(res.status).toBe(201);
    const eventId = ((await res.json()) as EventReceiptV1).id;
    try {
      expect((await putRule(c.code, ['justice', 'grid'])).status).toBe(201);
      expect(await forcesOf(eventId)).toEqual(['justice', 'grid']);
      expect((await putRule(sub.code, ['emergency'])).status).toBe(201);
      expect(await forcesOf(eventId)).toEqual(['emergency']);

      // Editing a seeded rule, then restoring it as an administrator would.
      expect((await putRule('hazard', ['grid'])).status).toBe(200);
      expect((await ts.app.reference.get()).jointRules.get('hazard')).toEqual(['grid']);
    } finally {
      expect((await putRule('hazard', was)).status).toBe(200);
      await ts.app.db.query(`DELETE FROM joint_rules WHERE category_code = ANY($1::text[])`, [[c.code, sub.code]]);
      ts.app.reference.invalidate();
    }
    expect((await ts.app.reference.get()).jointRules.get('hazard')).toEqual(was);
  });

  it('refuses a non-admin (403), an unknown department (422 naming body.forces.<i>), a duplicate, an empty or long list (400), an unknown category (404)', async () => {
    const was = (await ts.app.db.query<{ forces: string[] }>(`SELECT forces FROM joint_rules WHERE category_code = 'dispute'`)).rows[0].forces;
    const issue = async (res: Response) => ((await res.json()) as { issues: { path: string; message: string }[] }).issues[0];

    for (const who of [deputy, await login(ts.url, 'chief')]) expect((await putRule('dispute', ['grid'], who)).status).toBe(403);
    expect((await call('PUT', '/api/v1/admin/joint-rules/dispute', { forces: ['grid'] })).status).toBe(401);

    const unknown = await putRule('dispute', ['justice', 'police', 'ministry_of_magic']);
    expect(unknown.status).toBe(422);
    expect(await issue(unknown)).toMatchObject({ path: 'body.forces.2', message: expect.stringContaining('ministry_of_magic') });
    const dup = await putRule('dispute', ['police', 'grid', 'police']);
    expect(dup.status).toBe(400);
    expect((await issue(dup)).path).toBe('body.forces.2');
    const empty = await putRule('dispute', []);
    expect(empty.status).toBe(400);
    expect((await issue(empty)).path).toBe('body.forces');
    const long = await putRule('dispute', Array.from({ length: 11 }, (_, i) => `d${i}`));
    expect(long.status).toBe(400);
    expect((await issue(long)).path).toBe('body.forces');
    const bad = await putRule('dispute', ['Police']);
    expect(bad.status).toBe(400);
    expect((await issue(bad)).path).toBe('body.forces.0');
    const nowhere = await putRule('no_such_code', ['grid']);
    expect(nowhere.status).toBe(404);
    expect((await issue(nowhere)).path).toBe('params.code');

    // Nothing of that changed the rule or left an audit entry.
    expect((await ts.app.db.query(`SELECT forces FROM joint_rules WHERE category_code = 'dispute'`)).rows[0].forces).toEqual(was);
    expect(await auditOf('joint_rule:dispute')).toEqual([]);
  });
});
