import { createHash, randomInt, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSet } from '@/lib/assessment/rules';
import { hashPassword } from '../auth/password';
import { runReports } from '../jobs/reports';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import { gatherReport } from './data';
import { ensureReport } from './store';
import { buildReport } from './xlsx';

/*
 * Issue 15 point 6 (S13, S14): the report of a fixture month, planted in a year no other test uses,
 * matches the database — scores, stars, adjustments, ranks, the overdue and red-card lists, points —
 * in the workbook and in the document behind the printable page; a station's report names no other
 * station; downloads are audited with the file's SHA-256; refusals keep to the scope rule; the job
 * makes the frozen month's district report; a frozen report is served again until an adjustment.
 */

const ts = withTestServer(`reports:${process.pid}:`);
const call = caller(() => ts.url);
const cookies: Record<string, string> = {};
const key = () => `rep-${randomUUID()}`;

/**
 * A month of a year of its own, chosen in beforeAll among the years no rule set or frozen period
 * holds (rule sets are one active per year); afterAll takes the fixture's scores, periods, rule set
 * and report files away again (the append-only adjustments, points and logs stay), so the years do not run out.
 */
let YEAR = 0;
let PERIOD = '';
const at = (day: number, hour = 10) => new Date(Date.UTC(YEAR, 2, day, hour - 8));

let A = 0;
let B = 0;
let nameA = '';
let nameB = '';
const people: Record<string, number> = {};
let ruleSetId = 0;
let adjustmentId = 0;

async function plant(station: number, o: { reported: Date; acceptedLate?: boolean; handledLate?: boolean; card?: 'red' | 'yellow'; redAt?: Date; state?: string }): Promise<number> {
  const r = o.reported.getTime();
  const h = (n: number) => new Date(r + n * 3600_000);
  const { rows } = await ts.app.db.query<{ id: number }>(
    `INSERT INTO events (source, category, title, state, station_id, reported_at, updated_at, accepted_at, accept_due_at, handled_at, handle_due_at, closed_at, card)
     VALUES ('test', 'environment', $1, $2, $3, $4, $4, $5, $6, $7, $8, $7, $9) RETURNING id::int`,
    [`报告测试事件-${randomUUID().slice(0, 6)}`, o.state ?? 'closed', station, o.reported, h(o.acceptedLate ? 5 : 1), h(2), h(o.handledLate ? 60 : 20), h(48), o.card ?? 'none'],
  );
  if (o.redAt)
    await ts.app.db.query(
      `INSERT INTO event_log (event_id, at, actor_role, from_state, to_state, action, note, data) VALUES ($1, $2, 'system', 'closed', 'closed', 'supervise', '红牌督办', '{"card":"red"}')`,
      [rows[0].id, o.redAt],
    );
  return rows[0].id;
}

/** A score row as the job leaves it, left unfrozen (frozen_at NULL) so afterAll may delete it: the report reads the period's freeze, not the row's. */
async function score(kind: 'station' | 'team' | 'person', subject: string, station: number, total: number, extra: { dept?: string; person?: number } = {}): Promise<void> {
  await ts.app.db.query(
    `INSERT INTO assessment_scores (period, period_kind, subject_kind, subject_key, station_id, department_code, person_id, rule_set_id, figures, items,
                                    earned, deducted, computed_total, event_ids)
     VALUES ($1, 'month', $2, $3, $4, $5, $6, $7, '{}', $8, $9, 0, $9, '{1,2,3}')`,
    [PERIOD, kind, subject, station, extra.dept ?? null, extra.person ?? null, ruleSetId,
      JSON.stringify(kind === 'station' ? [{ code: 'handle', name: '按期办结', kind: 'score', weight: 20, points: 15.5, noData: false }] : []), total],
  );
}

beforeAll(async () => {
  const db = ts.app.db;
  const { rows: used } = await db.query<{ year: number }>(`SELECT year FROM assessment_rule_sets UNION SELECT left(period, 4)::int FROM assessment_periods`);
  const taken = new Set(used.map((u) => u.year));
  // Periods go up to 2100 (lib/assessment/periods.ts); the years before 2030 are left to the other tests and the demo.
  const free = Array.from({ length: 2100 - 2030 + 1 }, (_, i) => 2030 + i).filter((y) => !taken.has(y));
  if (free.length === 0) throw new Error('no year 2030–2100 free of rule sets and frozen periods: use a fresh test database');
  YEAR = free[randomInt(0, free.length)];
  PERIOD = `${YEAR}-03`;
  ({ id: A, name: nameA } = (await db.query<{ id: number; name: string }>(`SELECT s.id, s.name FROM accounts a JOIN stations s ON s.id = a.station_id WHERE a.username = 'deputy'`)).rows[0]);
  ({ id: B, name: nameB } = (await db.query<{ id: number; name: string }>(`SELECT id, name FROM stations WHERE id <> $1 ORDER BY id LIMIT 1`, [A])).rows[0]);
  for (const u of ['gridder', 'police']) people[u] = (await db.query<{ id: number }>(`SELECT person_id AS id FROM accounts WHERE username = $1`, [u])).rows[0].id;
  people.other = (await db.query<{ id: number }>(`INSERT INTO people (name) VALUES ('外站人员甲') RETURNING id`)).rows[0].id;
  await db.query(`INSERT INTO person_roles (person_id, role, station_id) VALUES ($1, 'gridder', $2)`, [people.other, B]);
  const body = defaultRuleSet(YEAR);
  ruleSetId = (await db.query<{ id: number }>(
    `INSERT INTO assessment_rule_sets (year, version, name, body, state, activated_at) VALUES ($1, 1, $2, $3, 'active', now()) RETURNING id`,
    [YEAR, body.name, JSON.stringify(body)],
  )).rows[0].id;

  // Scores: A 82.5 (+3 adjusted → 85.5, 3 stars), B 71 (2 stars); a team; three people.
  await score('station', `s:${A}`, A, 82.5);
  await score('station', `s:${B}`, B, 71);
  await score('team', `t:${A}:police`, A, 90, { dept: 'police' });
  await score('person', `p:${people.gridder}`, A, 88, { person: people.gridder });
  await score('person', `p:${people.police}`, A, 65, { person: people.police });
  await score('person', `p:${people.other}`, B, 77, { person: people.other });
  adjustmentId = (await db.query<{ id: number }>(
    `INSERT INTO assessment_adjustments (period, subject_key, points, reason, by_name, request_key) VALUES ($1, $2, 3, '现场核查加分', '测试', $3) RETURNING id`,
    [PERIOD, `s:${A}`, key()],
  )).rows[0].id;
  await db.query(`INSERT INTO assessment_periods (period, period_kind, rule_set_id) VALUES ($1, 'month', $2)`, [PERIOD, ruleSetId]);

  // Events of the month: A — one on time, one accepted late, one handled late, one red-carded; B — one handled late with a red card.
  await plant(A, { reported: at(3) });
  await plant(A, { reported: at(4), acceptedLate: true });
  await plant(A, { reported: at(5), handledLate: true });
  await plant(A, { reported: at(6), card: 'red', redAt: at(8) });
  await plant(B, { reported: at(7), handledLate: true, card: 'red', redAt: at(9) });
  // Outside the month: counted nowhere.
  await plant(A, { reported: at(32), handledLate: true });

  // Points of the month at A: the gridder 5, the police 2, a resident 3.
  for (const [person, pts, ref] of [[people.gridder, 5, 'a'], [people.police, 2, 'b']] as const)
    await db.query(
      `INSERT INTO points_ledger (holder, person_id, station_id, rule_code, points, ref, reason, at) VALUES ($1, $2, $3, 'inspection', $4, $5, '测试', $6)`,
      [`p:${person}`, person, A, pts, `rep-${YEAR}-${ref}`, at(10)],
    );

  await db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id) VALUES ('rep-other-chief', $1, 'station_chief', '外站站长', $2)
     ON CONFLICT (username) DO UPDATE SET station_id = EXCLUDED.station_id`,
    [await hashPassword('reports-test'), B],
  );
  for (const u of ['deputy', 'chief', 'admin', 'gridder']) cookies[u] = await login(ts.url, u);
  cookies.other = await login(ts.url, 'rep-other-chief', 'reports-test');
}, 60_000);

afterAll(async () => {
  const db = ts.app.db;
  await db.query(`DELETE FROM accounts WHERE username = 'rep-other-chief'`).catch(() => undefined);
  if (!YEAR) return;
  const like = `${YEAR}%`;
  await db.query(`DELETE FROM assessment_reports WHERE period LIKE $1`, [like]);
  await db.query(`DELETE FROM assessment_scores WHERE period LIKE $1`, [like]);
  await db.query(`DELETE FROM assessment_periods WHERE period LIKE $1`, [like]);
  await db.query(`DELETE FROM assessment_rule_sets WHERE id = $1`, [ruleSetId]);
  if (people.other) {
    await db.query(`DELETE FROM person_roles WHERE person_id = $1`, [people.other]);
    await db.query(`DELETE FROM people WHERE id = $1`, [people.other]).catch(() => undefined);
  }
  for (const period of [PERIOD, `${YEAR}-04`, `${YEAR}-05`, `${YEAR}-06`]) await rm(path.join(ts.app.config.dataDir, 'reports', period), { recursive: true, force: true });
});

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** The first row whose column A is `label`. */
function rowOf(ws: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  let out: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (!out && row.getCell(1).value === label) out = row;
  });
  if (!out) throw new Error(`no row ${label} in ${ws.name}`);
  return out;
}
const valueBeside = (ws: ExcelJS.Worksheet, label: string): unknown => rowOf(ws, label).getCell(2).value;

function allText(wb: ExcelJS.Workbook): string {
  const parts: string[] = [];
  wb.eachSheet((ws) => {
    parts.push(ws.name);
    ws.eachRow((row) => row.eachCell((c) => parts.push(String(c.value ?? ''))));
  });
  return parts.join('\n');
}

/** The database's own count of the month's overdue events at a station (the cockpit's MISSED, written out). */
async function overdueInDb(station: number): Promise<number> {
  const { rows } = await ts.app.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events WHERE station_id = $1 AND reported_at >= $2 AND reported_at < $3
        AND (accepted_at > accept_due_at OR handled_at > handle_due_at OR card <> 'none')`,
    [station, new Date(Date.UTC(YEAR, 2, 1) - 8 * 3600_000), new Date(Date.UTC(YEAR, 3, 1) - 8 * 3600_000)],
  );
  return rows[0].n;
}

describe('the district report of a frozen fixture month', () => {
  it('the workbook has its sheets, and its figures are the database’s', async () => {
    const t0 = performance.now();
    const bytes = await buildReport(ts.app.db, PERIOD, 'district');
    const ms = performance.now() - t0;
    const wb = await workbook(bytes);
    const names = wb.worksheets.map((w) => w.name);
    expect(names.slice(0, 1)).toEqual(['汇总']);
    expect(names).toEqual(expect.arrayContaining([nameA.slice(0, 31), nameB.slice(0, 31), '排名', '超期清单', '红牌清单', '巡查覆盖', '积分']));
    const stations = (await ts.app.db.query(`SELECT 1 FROM stations`)).rowCount!;
    expect(names).toHaveLength(stations + 6);

    const sum = wb.getWorksheet('汇总')!;
    expect(sum.getCell('A3').value).toBe('已封账');
    expect(sum.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(sum.pageSetup.paperSize).toBe(9);
    expect(valueBeside(sum, '已评分工作站')).toBe(2);
    expect(valueBeside(sum, '3 星工作站')).toBe(1);
    expect(valueBeside(sum, '2 星工作站')).toBe(1);
    expect(valueBeside(sum, '平均得分')).toBe(78.25);
    expect(valueBeside(sum, '红牌数')).toBe(2);
    const overdue = await overdueInDb(A) + await overdueInDb(B);
    expect(valueBeside(sum, '超期件数')).toBe(overdue);
    expect(valueBeside(sum, '获得积分')).toBe(7);

    const a = wb.getWorksheet(nameA.slice(0, 31))!;
    expect(a.getRow(2).values).toEqual([undefined, '得分 85.50', '★★★☆☆', '第 1 / 2', '已封账']);
    expect(valueBeside(a, '计算得分')).toBe(82.5);
    expect(valueBeside(a, '区级调整')).toBe(3);
    expect(valueBeside(a, '总分')).toBe(85.5);
    expect(valueBeside(a, '超期件数')).toBe(await overdueInDb(A));
    expect(valueBeside(a, '红牌数')).toBe(1);
    expect(valueBeside(a, '按期办结')).toBe('计分项');
    const onTime = rowOf(a, '按期办结率');
    expect(onTime.getCell(2).numFmt).toBe('0.0%');
    // Four events closed, one of them past its handling limit.
    expect(onTime.getCell(2).value).toBeCloseTo(3 / 4);
    expect(a.getRow(2).getCell(1).font?.bold).toBe(true);

    const b = wb.getWorksheet(nameB.slice(0, 31))!;
    expect(b.getRow(2).values).toEqual([undefined, '得分 71.00', '★★☆☆☆', '第 2 / 2', '已封账']);

    const rank = wb.getWorksheet('排名')!;
    expect(rank.getRow(2).values).toEqual([undefined, '工作站', '第 1 / 2', nameA, undefined, 85.5, '★★★☆☆', 3]);
    const od = wb.getWorksheet('超期清单')!;
    expect(od.rowCount - 1).toBe(overdue);
    const rc = wb.getWorksheet('红牌清单')!;
    expect(rc.rowCount - 1).toBe(2);
    const pts = wb.getWorksheet('积分')!;
    expect(pts.getRow(2).values).toEqual([undefined, nameA, 1, expect.any(String), 5]);
    console.log(`[reports] fixture month, district: ${bytes.length} bytes in ${ms.toFixed(0)} ms`);
  });

  it('the document behind the printable page says the same', async () => {
    const r = await gatherReport(ts.app.db, PERIOD, 'district');
    const a = r.stations.find((s) => s.stationId === A)!;
    expect(a.score).toMatchObject({ total: 85.5, computedTotal: 82.5, adjustment: 3, stars: 3, rank: 1, of: 2, eventCount: 3 });
    expect(a.teams).toEqual([expect.objectContaining({ departmentCode: 'police', total: 90, rank: 1, of: 1, stars: 4 })]);
    expect(a.staff.map((p) => [p.personId, p.total, p.rank])).toEqual([[people.gridder, 88, 1], [people.police, 65, 2]]);
    expect(a.overdue.rows.map((o) => o.missed)).toEqual(expect.arrayContaining([['受理超期'], ['办理超期'], ['红牌']]));
    expect(a.points).toMatchObject({ people: 7, residents: 0 });
    expect(r.ranking.staffTop.map((p) => p.scopeRank)).toEqual([1, 2, 3]);
    expect(r.frozen).toBe(true);
    expect(r.ruleSet).toMatchObject({ id: ruleSetId, year: YEAR });
  });
});

describe('a station’s report', () => {
  it('holds its own sheet and rank, and no other station’s name', async () => {
    const wb = await workbook(await buildReport(ts.app.db, PERIOD, `s:${A}`));
    const text = allText(wb);
    expect(text).toContain(nameA);
    expect(text).toContain('第 1 / 2');
    const others = (await ts.app.db.query<{ name: string }>(`SELECT name FROM stations WHERE id <> $1`, [A])).rows;
    for (const o of others) expect(text).not.toContain(o.name);
    expect(text).not.toContain('外站人员甲');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', nameA.slice(0, 31), '排名', '超期清单', '红牌清单', '巡查覆盖', '积分']);
  });
});

describe('the routes', () => {
  it('the deputy downloads their station’s report: the file’s SHA-256 is in the audit log', async () => {
    const res = await fetch(`${ts.url}/api/v1/reports/${PERIOD}.xlsx`, { headers: { cookie: cookies.deputy } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain(`report-${PERIOD}-s-${A}.xlsx`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(res.headers.get('x-report-sha256')).toBe(sha);
    const { rows } = await ts.app.db.query<{ detail: { period: string; scope: string; sha256: string } }>(
      `SELECT detail FROM audit_log WHERE action = 'report.download' AND target = $1 ORDER BY id DESC LIMIT 1`,
      [`report:${PERIOD}:s:${A}`],
    );
    expect(rows[0]?.detail).toMatchObject({ period: PERIOD, scope: `s:${A}`, sha256: sha });
    expect((await workbook(bytes)).getWorksheet('汇总')).toBeTruthy();
  });

  it('a frozen report is served again, until the district adjusts the period', async () => {
    const first = await fetch(`${ts.url}/api/v1/reports/${PERIOD}.xlsx?scope=district`, { headers: { cookie: cookies.admin } });
    const again = await fetch(`${ts.url}/api/v1/reports/${PERIOD}.xlsx?scope=district`, { headers: { cookie: cookies.admin } });
    expect(again.headers.get('x-report-sha256')).toBe(first.headers.get('x-report-sha256'));
    await ts.app.db.query(
      `INSERT INTO assessment_adjustments (period, subject_key, points, reason, by_name, request_key) VALUES ($1, $2, -1, '复核扣分', '测试', $3)`,
      [PERIOD, `s:${B}`, key()],
    );
    const after = await fetch(`${ts.url}/api/v1/reports/${PERIOD}.xlsx?scope=district`, { headers: { cookie: cookies.admin } });
    expect(after.headers.get('x-report-sha256')).not.toBe(first.headers.get('x-report-sha256'));
    const wb = await workbook(Buffer.from(await after.arrayBuffer()));
    expect(wb.getWorksheet(nameB.slice(0, 31))!.getRow(2).getCell(1).value).toBe('得分 70.00');
    expect(adjustmentId).toBeGreaterThan(0);
  });

  it('an adjustment committing late, under a lower id than the newest, still makes the frozen report stale (counted, not the newest id)', async () => {
    const db = ts.app.db;
    const get = () => fetch(`${ts.url}/api/v1/reports/${PERIOD}.xlsx?scope=district`, { headers: { cookie: cookies.admin } });
    // Its id handed out first; another adjustment takes a higher one and commits first.
    const { rows: [{ late }] } = await db.query<{ late: string }>(`SELECT nextval(pg_get_serial_sequence('assessment_adjustments', 'id'))::text AS late`);
    await db.query(`INSERT INTO assessment_adjustments (period, subject_key, points, reason, by_name, request_key) VALUES ($1, $2, 1, '复核加分', '测试', $3)`, [PERIOD, `s:${B}`, key()]);
    const before = await get();
    expect((await workbook(Buffer.from(await before.arrayBuffer()))).getWorksheet(nameB.slice(0, 31))!.getRow(2).getCell(1).value).toBe('得分 71.00');
    await db.query(
      `INSERT INTO assessment_adjustments (id, period, subject_key, points, reason, by_name, request_key) VALUES ($1, $2, $3, 2, '迟到的复核加分', '测试', $4)`,
      [late, PERIOD, `s:${B}`, key()],
    );
    const after = await get();
    expect(after.headers.get('x-report-sha256')).not.toBe(before.headers.get('x-report-sha256'));
    expect((await workbook(Buffer.from(await after.arrayBuffer()))).getWorksheet(nameB.slice(0, 31))!.getRow(2).getCell(1).value).toBe('得分 73.00');
  });

  it('the printable page’s data is the stored document, and its read is audited', async () => {
    const res = await call('GET', `/api/v1/reports/${PERIOD}.json`, cookies.chief);
    expect(res.status).toBe(200);
    expect(res.body.report).toMatchObject({ scope: `s:${A}`, frozen: true, stations: [expect.objectContaining({ stationId: A })] });
    expect(res.body.report.ranking.stations).toEqual([expect.objectContaining({ name: nameA, rank: 1, of: 2 })]);
    const { rows } = await ts.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'report.print' AND target = $1`, [`report:${PERIOD}:s:${A}`]);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('an open period is made fresh and marked 未封账', async () => {
    const open = `${YEAR}-04`;
    const res = await call('GET', `/api/v1/reports/${open}.json?scope=district`, cookies.admin);
    expect(res.status).toBe(200);
    expect(res.body.report.frozen).toBe(false);
    const xlsx = await fetch(`${ts.url}/api/v1/reports/${open}.xlsx?scope=district`, { headers: { cookie: cookies.admin } });
    const wb = await workbook(Buffer.from(await xlsx.arrayBuffer()));
    expect(wb.getWorksheet('汇总')!.getCell('A3').value).toBe('未封账');
  });

  it('generate: retried by request key, audited once; the list shows it', async () => {
    const requestKey = key();
    const first = await call('POST', `/api/v1/reports/${PERIOD}/generate`, cookies.deputy, { requestKey });
    expect(first.status).toBe(201);
    expect(first.body.record).toMatchObject({ period: PERIOD, scope: `s:${A}`, frozen: true });
    const again = await call('POST', `/api/v1/reports/${PERIOD}/generate`, cookies.deputy, { requestKey });
    expect(again).toEqual({ status: 200, body: first.body });
    const { rows } = await ts.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'report.generate' AND detail ->> 'sha256' = $1`, [first.body.record.sha256]);
    expect(rows).toHaveLength(1);
    const list = await call('GET', `/api/v1/reports?period=${PERIOD}`, cookies.deputy);
    expect(list.body.map((r: { scope: string }) => r.scope)).toEqual([`s:${A}`]);
    const all = await call('GET', `/api/v1/reports?period=${PERIOD}`, cookies.admin);
    expect(all.body.map((r: { scope: string }) => r.scope)).toContain('district');
  });

  it('a generate key used again for another period or scope is a 409, not a replay of that report', async () => {
    const requestKey = key();
    const reused = { status: 409, body: { error: 'request_key_reused' } };
    const first = await call('POST', `/api/v1/reports/${PERIOD}/generate`, cookies.admin, { requestKey, scope: `s:${B}` });
    expect(first.status).toBe(201);
    expect(await call('POST', `/api/v1/reports/${YEAR}-04/generate`, cookies.admin, { requestKey, scope: `s:${B}` })).toMatchObject(reused);
    expect(await call('POST', `/api/v1/reports/${PERIOD}/generate`, cookies.admin, { requestKey, scope: 'district' })).toMatchObject(reused);
    expect(await call('POST', `/api/v1/reports/${PERIOD}/generate`, cookies.admin, { requestKey, scope: `s:${B}` })).toEqual({ status: 200, body: first.body });
  });

  it('concurrent downloads of an open period’s report each get a whole workbook, the one their header names', async () => {
    const open = `${YEAR}-06`;
    const all = await Promise.all(Array.from({ length: 6 }, () => fetch(`${ts.url}/api/v1/reports/${open}.xlsx?scope=s:${A}`, { headers: { cookie: cookies.admin } })));
    for (const res of all) {
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(res.headers.get('x-report-sha256'));
    }
  });

  it('an open period’s report: served again within a minute; a replaced file stays a minute for whoever reads it, then is swept', async () => {
    const db = ts.app.db;
    const dataDir = ts.app.config.dataDir;
    const open = `${YEAR}-06`;
    // The next make: one more overdue event of the open month (June is March's day 93 on) gives a workbook with other bytes
    // (the same figures make the same bytes, under the same name), and the stored one is aged two minutes so it is remade.
    let day = 93;
    const remake = async () => {
      await plant(A, { reported: at(day++), handledLate: true });
      await db.query(`UPDATE assessment_reports SET generated_at = generated_at - interval '2 minutes' WHERE period = $1 AND scope = 'district'`, [open]);
    };
    const a = await ensureReport(db, dataDir, open, 'district', null);
    const reused = await ensureReport(db, dataDir, open, 'district', null);
    expect(reused).toMatchObject({ made: false, file: a.file, record: { sha256: a.record.sha256 } });
    expect(createHash('sha256').update(reused.bytes).digest('hex')).toBe(a.record.sha256);
    await remake();
    const b = await ensureReport(db, dataDir, open, 'district', null);
    expect(b.made).toBe(true);
    expect(b.file).not.toBe(a.file);
    // a's file was replaced just now: still there for a download that was about to read it.
    expect(existsSync(a.file)).toBe(true);
    expect(createHash('sha256').update(b.bytes).digest('hex')).toBe(b.record.sha256);
    // A minute on, the next make sweeps it; the current file stays.
    const old = new Date(Date.now() - 120_000);
    await utimes(a.file, old, old);
    await remake();
    const c = await ensureReport(db, dataDir, open, 'district', null);
    expect(c.made).toBe(true);
    expect(existsSync(a.file)).toBe(false);
    expect(existsSync(c.file)).toBe(true);
    expect(existsSync(path.join(dataDir, 'reports', open))).toBe(true);
  });

  it('refusals: scope, roles, anonymous, bad input named', async () => {
    const get = (path: string, cookie = '') => fetch(`${ts.url}${path}`, { headers: { cookie } });
    expect((await get(`/api/v1/reports/${PERIOD}.xlsx?scope=district`, cookies.deputy)).status).toBe(404);
    expect((await get(`/api/v1/reports/${PERIOD}.xlsx?scope=s:${A}`, cookies.other)).status).toBe(404);
    expect((await get(`/api/v1/reports/${PERIOD}.xlsx`, cookies.gridder)).status).toBe(403);
    expect((await get(`/api/v1/reports/${PERIOD}.xlsx`)).status).toBe(401);
    const badPeriod = await call('GET', `/api/v1/reports/${YEAR}-13.json`, cookies.admin);
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.issues[0].path).toBe('params.period');
    const badScope = await call('GET', `/api/v1/reports/${PERIOD}.json?scope=town:1`, cookies.admin);
    expect(badScope.status).toBe(400);
    expect(badScope.body.issues[0].path).toBe('query.scope');
    const noStation = await call('GET', `/api/v1/reports/${PERIOD}.json?scope=s:999999`, cookies.admin);
    expect(noStation.status).toBe(404);
    const badKey = await call('POST', `/api/v1/reports/${PERIOD}/generate`, cookies.admin, { requestKey: 'x' });
    expect(badKey.status).toBe(400);
    expect(badKey.body.issues[0].path).toBe('body.requestKey');
    expect((await call('POST', `/api/v1/reports/${PERIOD}/generate`, cookies.gridder, { requestKey: key() })).status).toBe(403);
    expect((await call('POST', `/api/v1/reports/${PERIOD}/generate`, cookies.other, { scope: `s:${A}`, requestKey: key() })).status).toBe(404);
    // Nothing refused reached the audit log as a download of another's report.
    const { rows } = await ts.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'report.download' AND target = $1 AND account_id = (SELECT id FROM accounts WHERE username = 'deputy')`, [`report:${PERIOD}:district`]);
    expect(rows).toHaveLength(0);
  });
});

describe('the job', () => {
  it('makes the district report of a frozen period that has none', async () => {
    const month = `${YEAR}-05`;
    await ts.app.db.query(`INSERT INTO assessment_periods (period, period_kind, rule_set_id) VALUES ($1, 'month', $2)`, [month, ruleSetId]);
    // Other tests' frozen periods may be in line before it: a few runs, as the job would make over a few ticks.
    const made: string[] = [];
    for (let i = 0; i < 10 && !made.includes(month); i++) made.push(...(await runReports(ts.app.db, ts.app.config.dataDir)));
    expect(made).toContain(month);
    const { rows } = await ts.app.db.query<{ frozen: boolean; generatedBy: number | null }>(
      `SELECT frozen, generated_by AS "generatedBy" FROM assessment_reports WHERE period = $1 AND scope = 'district'`, [month],
    );
    expect(rows).toEqual([{ frozen: true, generatedBy: null }]);
    expect(await runReports(ts.app.db, ts.app.config.dataDir)).not.toContain(month);
  });
});
