import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSet } from '@/lib/assessment/rules';
import type { FiguresV1 } from '@/lib/contracts/scores';
import { hashPassword } from '../auth/password';
import { plantGeo, removeGeo, type KpiGeo } from '../analytics/fixture';
import { runAssessmentJob } from '../jobs/assessment';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import { computePeriod } from './compute';
import { scoreSubjectNaive } from './naive';

/*
 * Issue 15 point 2 (S13 assessment, S14 star stations and staff) on a real PostgreSQL: a fixture
 * month, 2025-03, planted row by row for two stations of our own and three people, scored by the
 * default rules and compared with totals computed by hand below (the issue's acceptance); the
 * month frozen and unmoved by a later edit of its events, its detail too; the one-subject baseline
 * equal to the set-based figures for every subject; people who handled events at two stations in
 * 2025-05 filed under one and counted with its events only; the routes' refusals, scope, idempotency
 * and audit; the job. 2025 is this file's: every 2025 score, period and rule set is removed before
 * and after, and its own rule set (and stations) are dated before 2025 so the job may freeze 2025's
 * periods — and only those: a 2024 rule set anyone left would be dated today, which the job refuses
 * to freeze under (nothing of 2024 is frozen, whatever the shared database holds).
 */

const ts = withTestServer(`scores:${process.pid}:`);
const call = caller(() => ts.url);
const PERIOD = '2025-03';
const YEAR = 2025;
const at = (s: string) => new Date(`2025-${s}+08:00`);
const key = () => `sc-${randomUUID()}`;

let A: KpiGeo;
let B: KpiGeo;
const person: Record<'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'p6', number> = { p1: 0, p2: 0, p3: 0, p4: 0, p5: 0, p6: 0 };
const account: Record<'p1' | 'p2' | 'p3' | 'p5' | 'p6', number> = { p1: 0, p2: 0, p3: 0, p5: 0, p6: 0 };
const ev: Record<string, number> = {};
const cookies: Record<string, string> = {};
const MAY = '2025-05';

interface Planted {
  geo: () => KpiGeo;
  dept?: string;
  state: string;
  reported: string;
  accepted?: string;
  acceptDue?: string;
  handled?: string;
  handleDue?: string;
  closed?: string;
  rating?: number;
  kind?: string;
  citizen?: boolean;
  about?: string;
  petition?: boolean;
  group?: boolean;
}

async function plant(name: string, e: Planted): Promise<void> {
  const g = e.geo();
  const t = (s?: string) => (s ? at(s) : null);
  const { rows } = await ts.app.db.query<{ id: number }>(
    `INSERT INTO events (source, category, title, state, grid_code, village_code, town_code, station_id, department_code, reported_at, updated_at,
                         accepted_at, accept_due_at, handled_at, handle_due_at, closed_at, rating, rated_at, kind, reported_by_citizen, about_event_id,
                         petition_skip, group_incident)
     VALUES ('test', $1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14, $15::smallint, CASE WHEN $15::smallint IS NULL THEN NULL ELSE $14::timestamptz END,
             $16, $17, $18, $19, $20) RETURNING id::int`,
    [
      e.kind === 'complaint' ? 'feedback' : 'environment', `考评测试 ${name}`, e.state, g.grids[0], g.village, g.town, g.station, e.dept ?? null, at(e.reported),
      t(e.accepted), t(e.acceptDue), t(e.handled), t(e.handleDue), t(e.closed), e.rating ?? null, e.kind ?? 'problem', e.citizen ?? false,
      e.about ? ev[e.about] : null, e.petition ?? false, e.group ?? false,
    ],
  );
  ev[name] = rows[0].id;
}

async function log(name: string, action: string, when: string, actor: number | null, data: Record<string, unknown> | null = null): Promise<void> {
  await ts.app.db.query(
    `INSERT INTO event_log (event_id, at, actor_id, actor_role, from_state, to_state, action, data) VALUES ($1, $2, $3, 'test', 'x', 'x', $4, $5)`,
    [ev[name], at(when), actor, action, data],
  );
}

/** Everything of 2025 the scoring wrote (frozen rows too: the trigger is off for this one transaction), and our planted rows. */
async function cleanup(): Promise<void> {
  const c = await ts.app.db.connect();
  try {
    await c.query('BEGIN');
    await c.query(`SET LOCAL session_replication_role = replica`);
    await c.query(`DELETE FROM assessment_adjustments WHERE period LIKE '2025%'`);
    await c.query(`DELETE FROM assessment_scores WHERE period LIKE '2025%'`);
    await c.query(`DELETE FROM assessment_periods WHERE period LIKE '2025%'`);
    await c.query(`DELETE FROM assessment_rule_sets WHERE year = $1`, [YEAR]);
    const stations = [A?.station, B?.station].filter((x): x is number => x !== undefined);
    await c.query(`DELETE FROM event_log WHERE event_id IN (SELECT id FROM events WHERE station_id = ANY($1::int[]))`, [stations]);
    await c.query(`DELETE FROM accountability_people WHERE record_id IN (SELECT id FROM accountability_records WHERE station_id = ANY($1::int[]))`, [stations]);
    await c.query(`DELETE FROM accountability_records WHERE station_id = ANY($1::int[])`, [stations]);
    await c.query('COMMIT');
    await c.query(`UPDATE accounts SET station_id = NULL, person_id = NULL WHERE username LIKE 'sc-%'`);
    await c.query(`DELETE FROM sessions WHERE station_id = ANY($1::int[])`, [stations]);
    for (const t of ['consultations', 'inspections', 'station_departments', 'station_reviews'])
      await c.query(`DELETE FROM ${t} WHERE station_id = ANY($1::int[])`, [stations]);
    const people = Object.values(person).filter((x) => x > 0);
    await c.query(`DELETE FROM person_roles WHERE person_id = ANY($1::int[])`, [people]);
    await c.query(`DELETE FROM people WHERE id = ANY($1::int[])`, [people]);
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
  if (A) await removeGeo(ts.app.db, A);
  if (B) await removeGeo(ts.app.db, B);
}

async function account_(username: string, role: string, stationId: number | null, personId: number | null, hash: string): Promise<number> {
  const { rows } = await ts.app.db.query<{ id: number }>(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id) VALUES ($1, $2, $3, $1, $4, $5)
     ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, station_id = EXCLUDED.station_id,
       person_id = EXCLUDED.person_id, disabled = false RETURNING id`,
    [username, hash, role, stationId, personId],
  );
  return rows[0].id;
}

beforeAll(async () => {
  const db = ts.app.db;
  await cleanup();
  A = await plantGeo(db);
  B = await plantGeo(db);
  // The job freezes only what ended after the year's rules were created and the first station existed.
  await db.query(`UPDATE stations SET created_at = '2024-06-01T00:00:00+08:00' WHERE id = ANY($1::int[])`, [[A.station, B.station]]);
  const body = defaultRuleSet(YEAR);
  await db.query(
    `INSERT INTO assessment_rule_sets (year, version, name, body, state, created_at, activated_at)
     VALUES ($1, 1, $2, $3, 'active', '2024-12-01T00:00:00+08:00', '2024-12-01T00:00:00+08:00')`,
    [YEAR, body.name, JSON.stringify(body)],
  );
  // p5 and p6 belong to B (people.station_id, migration 011) and handle events at A and B in May.
  for (const [p, station, belongs] of [['p1', A, false], ['p2', A, false], ['p3', B, false], ['p4', A, false], ['p5', B, true], ['p6', B, true]] as const) {
    person[p] = (await db.query<{ id: number }>(`INSERT INTO people (name, station_id) VALUES ($1, $2) RETURNING id`, [`考评测试${p}`, belongs ? station.station : null])).rows[0].id;
    await db.query(`INSERT INTO person_roles (person_id, role, station_id) VALUES ($1, 'dept_staff', $2)`, [person[p], station.station]);
  }
  const hash = await hashPassword('scores-test');
  for (const p of ['p1', 'p2', 'p3', 'p5', 'p6'] as const) account[p] = await account_(`sc-${p}`, 'dept_staff', ['p1', 'p2'].includes(p) ? A.station : B.station, person[p], hash);
  await account_('sc-operator', 'district_operator', null, null, hash);
  await account_('sc-deputy-a', 'deputy_chief', A.station, null, hash);

  // Station A (times Asia/Shanghai; due = the limit set at acceptance).
  await plant('E1', { geo: () => A, dept: 'police', state: 'rated', reported: '03-03T10:00', accepted: '03-03T12:00', acceptDue: '03-04T10:00', handled: '03-05T10:00', handleDue: '03-10T18:00', closed: '03-06T10:00', rating: 5 });
  await plant('E2', { geo: () => A, dept: 'police', state: 'rated', reported: '03-04T09:00', accepted: '03-06T09:00', acceptDue: '03-05T09:00', handled: '03-20T10:00', handleDue: '03-12T18:00', closed: '03-21T10:00', rating: 2 });
  await plant('E3', { geo: () => A, dept: 'market', state: 'rated', reported: '03-10T09:00', accepted: '03-10T10:00', acceptDue: '03-11T09:00', handled: '03-11T15:00', handleDue: '03-17T18:00', closed: '03-12T10:00', rating: 4, petition: true });
  await plant('E4', { geo: () => A, dept: 'market', state: 'in_progress', reported: '03-25T09:00', accepted: '03-25T10:00', acceptDue: '03-26T09:00' });
  await plant('E5', { geo: () => A, state: 'returned', reported: '03-15T09:00', group: true });
  await plant('E6', { geo: () => A, state: 'reported', reported: '03-22T09:00', kind: 'complaint', citizen: true, about: 'E2' });
  await plant('E7', { geo: () => A, dept: 'police', state: 'closed', reported: '02-25T09:00', accepted: '02-25T10:00', acceptDue: '02-26T09:00', handled: '03-01T10:00', handleDue: '03-04T18:00', closed: '03-02T10:00' });
  await plant('E8', { geo: () => A, state: 'reported', reported: '03-31T23:30' });
  await plant('E9', { geo: () => A, state: 'reported', reported: '04-01T00:10' });
  await log('E1', 'handle', '03-05T10:00', account.p1);
  await log('E1', 'verify_pass', '03-06T10:00', null);
  await log('E2', 'supervise', '03-13T09:00', null, { card: 'yellow' });
  await log('E2', 'supervise', '03-17T09:00', null, { card: 'red' });
  await log('E2', 'handle', '03-18T10:00', account.p1);
  await log('E2', 'verify_fail', '03-19T10:00', null);
  await log('E2', 'handle', '03-20T10:00', account.p1);
  await log('E2', 'verify_pass', '03-21T10:00', null);
  await log('E3', 'handle', '03-11T15:00', account.p2);
  await log('E3', 'verify_pass', '03-12T10:00', null);
  await log('E4', 'supervise', '03-28T09:00', null, { card: 'yellow' });
  await log('E6', 'supervise', '03-22T10:00', null, { complaint: 1 });
  await log('E7', 'handle', '03-01T10:00', account.p1);
  await log('E7', 'verify_pass', '03-02T10:00', null);
  // Station B.
  await plant('F1', { geo: () => B, state: 'rated', reported: '03-05T09:00', accepted: '03-05T10:00', acceptDue: '03-06T09:00', handled: '03-06T10:00', handleDue: '03-12T18:00', closed: '03-07T10:00', rating: 5 });
  await plant('F2', { geo: () => B, state: 'reported', reported: '03-08T09:00', group: true });
  await log('F1', 'handle', '03-06T10:00', account.p3);
  await log('F1', 'verify_pass', '03-07T10:00', null);
  // May: p5 handles G1 and G2 at A and G3 at B (filed under A: most events there); p6 one at each (a tie: their station, B).
  await plant('G1', { geo: () => A, state: 'rated', reported: '05-05T09:00', accepted: '05-05T10:00', acceptDue: '05-06T09:00', handled: '05-06T10:00', handleDue: '05-12T18:00', closed: '05-07T10:00', rating: 5 });
  await plant('G2', { geo: () => A, state: 'in_progress', reported: '05-06T09:00', accepted: '05-06T10:00', acceptDue: '05-07T09:00' });
  await plant('G3', { geo: () => B, state: 'rated', reported: '05-07T09:00', accepted: '05-07T10:00', acceptDue: '05-08T09:00', handled: '05-20T10:00', handleDue: '05-12T18:00', closed: '05-21T10:00', rating: 1 });
  await plant('H1', { geo: () => A, state: 'in_progress', reported: '05-08T09:00', accepted: '05-08T10:00', acceptDue: '05-09T09:00' });
  await plant('H2', { geo: () => B, state: 'in_progress', reported: '05-08T09:00', accepted: '05-08T10:00', acceptDue: '05-09T09:00' });
  for (const [e, who, when] of [['G1', 'p5', '05-06T10:00'], ['G2', 'p5', '05-07T10:00'], ['G3', 'p5', '05-20T10:00'], ['H1', 'p6', '05-09T10:00'], ['H2', 'p6', '05-09T11:00']] as const)
    await log(e, 'handle', when, account[who]);

  // S11: three of A's weekly consultations held, a fourth never opened; B none.
  for (const [day, started] of [['03-03', true], ['03-10', true], ['03-17', true], ['03-24', false]] as const)
    await db.query(
      `INSERT INTO consultations (kind, station_id, title, state, idempotency_key, scheduled_at, started_at) VALUES ('weekly', $1, '考评测试会商', $2, $3, $4, $5)`,
      [A.station, started ? 'closed' : 'scheduled', key(), at(`${day}T09:00`), started ? at(`${day}T09:05`) : null],
    );
  // S10: police resident at A; three police inspections (two in one week) and the station's monthly one.
  await db.query(`INSERT INTO station_departments (station_id, department_id, residency) SELECT $1, id, 'resident' FROM departments WHERE code = 'police'`, [A.station]);
  for (const [kind, dept, day] of [['department_weekly', 'police', '03-04'], ['department_weekly', 'police', '03-05'], ['department_weekly', 'police', '03-12'], ['station_monthly', null, '03-20']] as const)
    await db.query(`INSERT INTO inspections (station_id, kind, department_code, day, area, participants) VALUES ($1, $2, $3, $4, '考评测试', '{}')`, [A.station, kind, dept, `2025-${day}`]);
  // S14: A's yearly review scored 80 of 100; B not reviewed.
  await db.query(`INSERT INTO station_reviews (station_id, year, state, items, score, max_score, scored_at) VALUES ($1, $2, 'scored', '[]', 80, 100, now())`, [A.station, YEAR]);
  // S13: a talk (2) naming p1 in A's police; a revoked notice naming p2; B's notice (1) on 03-31 and an accountability (3) in April, both naming p3.
  for (const [kind, station, dept, day, who, revoked] of [
    ['talk', A, 'police', '03-15', 'p1', false], ['notice', A, null, '03-20', 'p2', true], ['notice', B, null, '03-31', 'p3', false], ['accountability', B, null, '04-02', 'p3', false],
  ] as const) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO accountability_records (kind, station_id, department_code, source, title, detail, decided_on, request_key, revoked_at)
       VALUES ($1, $2, $3, 'manual', '考评测试', '考评测试', $4, $5, $6) RETURNING id`,
      [kind, station.station, dept, `2025-${day}`, key(), revoked ? new Date() : null],
    );
    await db.query(`INSERT INTO accountability_people (record_id, person_id) VALUES ($1, $2)`, [rows[0].id, person[who]]);
  }

  cookies.operator = await login(ts.url, 'sc-operator', 'scores-test');
  cookies.deputyA = await login(ts.url, 'sc-deputy-a', 'scores-test');
  cookies.p1 = await login(ts.url, 'sc-p1', 'scores-test');
  await account_('sc-deputy-b', 'deputy_chief', B.station, null, hash);
  cookies.deputyB = await login(ts.url, 'sc-deputy-b', 'scores-test');
  for (const u of ['deputy', 'gridder', 'chief']) cookies[u] = await login(ts.url, u);
}, 120_000);

afterAll(cleanup, 60_000);

interface Stored { id: number; subject_kind: string; computed_total: number; earned: number; deducted: number; figures: FiguresV1; items: { code: string; points: number }[]; event_ids: number[]; frozen_at: Date | null; station_id: number }
async function stored(subject: string, period = PERIOD): Promise<Stored | undefined> {
  const { rows } = await ts.app.db.query<Stored>(`SELECT * FROM assessment_scores WHERE period = $1 AND subject_key = $2`, [period, subject]);
  return rows[0];
}
const points = (s: Stored) => Object.fromEntries(s.items.map((i) => [i.code, i.points]));

describe('the fixture month 2025-03 (issue 15 acceptance: totals computed by hand)', () => {
  it('S13: scored while open, nothing frozen', async () => {
    const r = await computePeriod(ts.app.db, PERIOD, { now: at('03-31T12:00') });
    expect(r.frozen).toBe(false);
    const a = (await stored(`s:${A.station}`))!;
    expect(a.frozen_at).toBeNull();
    // At noon of the 31st the 14:30 monthly consultation is not yet owed: 3 held of 5.
    expect(a.figures.consultations).toEqual({ value: 0.6, num: 3, den: 5 });
  });

  it('S13, S14: frozen once ended; stations, teams and people equal the hand-computed totals', async () => {
    const r = await computePeriod(ts.app.db, PERIOD, { now: at('04-02T08:00') });
    expect(r.frozen).toBe(true);
    const a = (await stored(`s:${A.station}`))!;
    expect(a.frozen_at).not.toBeNull();
    // Cohort: E1–E6 and E8 (E7 reported in February, E9 at 00:10 on 1 April Shanghai time).
    expect(a.event_ids).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E8'].map((n) => ev[n]).sort((x, y) => x - y));
    expect(a.figures.on_time_accept).toEqual({ value: 0.75, num: 3, den: 4 }); // accepted E1 E2 E3 E4 (E5 returned), E2 late
    expect(a.figures.on_time).toEqual({ value: 2 / 3, num: 2, den: 3 }); // closed E1 E2 E3, E2 late
    expect(a.figures.verify_pass).toEqual({ value: 0.8, num: 4, den: 5 }); // by log time: E7 pass, E1 pass, E3 pass, E2 fail, E2 pass
    expect(a.figures.yellow_cards?.value).toBe(2); // E2, E4
    expect(a.figures.red_cards?.value).toBe(1); // E2
    expect(a.figures.consultations).toEqual({ value: 0.5, num: 3, den: 6 }); // S11: weeks of 3, 10, 17, 24, 31 March + the monthly one
    expect(a.figures.inspections?.num).toBe(4); // police 3 (two in one week count, capped at 5 per item) + the monthly 1
    expect(a.figures.inspections?.den).toBe(6); // police weekly × 5 + station monthly × 1
    expect(a.figures.coverage?.value).toBeNull(); // no places in our grids
    expect(a.figures.satisfaction).toEqual({ value: 2 / 3, num: 2, den: 3 }); // ratings 5, 2, 4
    expect(a.figures.complaints?.value).toBe(1); // E6
    expect(a.figures.mediation?.value).toBeNull();
    expect(a.figures.petitions_skip?.value).toBe(1); // E3
    expect(a.figures.group_incidents?.value).toBe(0); // E5 is returned
    expect(a.figures.review).toEqual({ value: 0.8, num: 80, den: 100 });
    expect(a.figures.accountability).toEqual({ value: 2, num: 1 }); // the talk; the notice was revoked
    // 7.5 + 13.33 + 8 + (10 − 2 − 3) + 5 + 6.67 + 10 + 6.67 + 4 + 5 = 71.17; − (0.5 + 5 + 0 + 2 × 2) = 61.67
    expect(points(a)).toMatchObject({ accept: 7.5, handle: 13.33, verify: 8, cards: 5, consult: 5, inspect: 6.67, coverage: 10, satisfaction: 6.67, review: 4, mediation: 5 });
    expect([a.earned, a.deducted, a.computed_total]).toEqual([71.17, 9.5, 61.67]);

    const b = (await stored(`s:${B.station}`))!;
    // 10 + 20 + 10 + 10 + 0 (0 of 6 consultations) + 0 (0 of 1 inspection) + 10 + 10 + 5 (no review) + 5 = 80; − (10 + 2 × 1) = 68
    expect(b.figures.inspections).toEqual({ value: 0, num: 0, den: 1 });
    expect([b.earned, b.deducted, b.computed_total]).toEqual([80, 12, 68]);

    const p1 = (await stored(`p:${person.p1}`))!;
    // E1, E2 (E7 for its verification). Items that do not apply to a person (accept, consult, inspect, coverage, mediation,
    // review) are left out and the rest scaled to 100: on time 1/2 → 10 of 20 + verify 3/4 → 7.5 of 10 + cards 10 − 1 − 3 = 6
    // of 10 + satisfaction 1/2 → 5 of 10 = 28.5 of 50 → 57; − (complaint about E2 0.5 + talk 2 × 2) = 52.5
    expect(p1.station_id).toBe(A.station);
    expect(p1.figures.on_time_accept?.value).toBeNull();
    expect(p1.event_ids).toEqual([ev.E1, ev.E2]);
    expect([p1.earned, p1.deducted, p1.computed_total]).toEqual([57, 4.5, 52.5]);
    const p2 = (await stored(`p:${person.p2}`))!;
    expect([p2.earned, p2.deducted, p2.computed_total]).toEqual([100, 5, 95]); // E3 all on time; its 越级信访 5
    const p3 = (await stored(`p:${person.p3}`))!;
    expect(p3.station_id).toBe(B.station);
    expect([p3.earned, p3.deducted, p3.computed_total]).toEqual([100, 2, 98]); // F1 all on time; the notice of 31 March (April's does not count)
    expect(await stored(`p:${person.p4}`)).toBeUndefined(); // idle is not 100

    const police = (await stored(`t:${A.station}:police`))!;
    // Of the 60 points that apply to a team: 5 (1 of 2 accepted on time) + 10 + 7.5 + 6 + 5 = 33.5 → 33.5 × 100 / 60 = 55.83;
    // − (0.5 + 4) = 51.33
    expect([police.earned, police.deducted, police.computed_total]).toEqual([55.83, 4.5, 51.33]);
    const market = (await stored(`t:${A.station}:market`))!;
    // 10 + 20 + 10 + (10 − 1) + 10 = 59 of 60 → 98.33; − 5 (E3's 越级信访) = 93.33
    expect([market.earned, market.deducted, market.computed_total]).toEqual([98.33, 5, 93.33]);
    expect(await stored(`t:${B.station}:police`)).toBeUndefined();
  });

  it('the one-subject baseline (one query per indicator) equals the set-based figures for every subject of the month', async () => {
    const { rows } = await ts.app.db.query<{ key: string; figures: FiguresV1; total: number }>(
      `SELECT subject_key AS key, figures, computed_total AS total FROM assessment_scores WHERE period = $1 ORDER BY subject_key`,
      [PERIOD],
    );
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const r of rows) {
      const naive = await scoreSubjectNaive(ts.app.db, PERIOD, r.key, { now: at('04-02T08:00') });
      expect({ key: r.key, figures: naive.figures, total: naive.total }).toEqual({ key: r.key, figures: r.figures, total: r.total });
    }
  });

  it('a frozen month does not move when its events are edited afterwards, and the table refuses a direct change', async () => {
    const before = (await stored(`s:${A.station}`))!;
    await ts.app.db.query(`UPDATE events SET rating = 1, handled_at = handled_at + interval '30 days' WHERE id = $1`, [ev.E1]);
    await ts.app.db.query(`UPDATE events SET petition_skip = true WHERE id = $1`, [ev.E1]);
    const r = await computePeriod(ts.app.db, PERIOD, { now: new Date() });
    expect(r.frozen).toBe(true);
    expect(await stored(`s:${A.station}`)).toEqual(before);
    await expect(ts.app.db.query(`UPDATE assessment_scores SET computed_total = 100 WHERE id = $1`, [before.id])).rejects.toThrow(/frozen/);
    await expect(ts.app.db.query(`DELETE FROM assessment_scores WHERE id = $1`, [before.id])).rejects.toThrow(/frozen/);
    // …while a score of the period computed now would differ: the edit is real.
    const now = await scoreSubjectNaive(ts.app.db, PERIOD, `s:${A.station}`);
    expect(now.figures.satisfaction?.num).toBe(1);
  });
});

describe('routes (S13: adjustments by the district beside the computed score; scope)', () => {
  const idOf = async (subject: string) => (await stored(subject))!.id;

  it('an adjustment shows beside the score and moves total and stars; a retry answers as the first time; audited once', async () => {
    const subjectKey = `s:${A.station}`;
    const body = { period: PERIOD, subjectKey, points: 10, reason: '区级核实：群众投诉系误报', requestKey: key() };
    const first = await call('POST', '/api/v1/assessment/adjustments', cookies.operator, body);
    expect(first.status).toBe(201);
    expect(first.body.score).toMatchObject({ computedTotal: 61.67, adjustment: 10, total: 71.67, stars: 2, frozen: true });
    const again = await call('POST', '/api/v1/assessment/adjustments', cookies.operator, body);
    expect(again.status).toBe(200);
    expect(again.body.adjustment.id).toBe(first.body.adjustment.id);
    const { rows } = await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'assessment.adjust' AND target = $1`, [`assessment_score:${PERIOD}:${subjectKey}`]);
    expect(rows[0].n).toBe(1);
    const detail = await call('GET', `/api/v1/assessment/scores/${await idOf(subjectKey)}`, cookies.operator);
    expect(detail.status).toBe(200);
    expect(detail.body.adjustments).toEqual([expect.objectContaining({ points: 10, reason: '区级核实：群众投诉系误报', byName: 'sc-operator' })]);
    expect(detail.body.items.find((i: { code: string }) => i.code === 'handle')).toMatchObject({ name: '按期办结', weight: 20, points: 13.33 });
    expect(detail.body.events.map((e: { id: number }) => e.id)).toContain(ev.E2);
    expect(detail.body.events.find((e: { id: number }) => e.id === ev.E2)).toMatchObject({ onTimeAccept: false, onTime: false, rating: 2 });
    const list = await call('GET', `/api/v1/assessment/scores?period=${PERIOD}&subjectKind=station&stationId=${A.station}`, cookies.operator);
    expect(list.body).toEqual([expect.objectContaining({ subjectKey, computedTotal: 61.67, adjustment: 10, total: 71.67, stars: 2 })]);
  });

  it('a frozen score’s events show what they counted for when it froze, not what later edits made of them (station and person rows)', async () => {
    // E1 was edited after the freeze (above): rated 1 now, handled 30 days late. Frozen: rated 5, on time.
    const live = (await ts.app.db.query<{ rating: number }>(`SELECT rating FROM events WHERE id = $1`, [ev.E1])).rows[0];
    expect(live.rating).toBe(1);
    for (const subject of [`s:${A.station}`, `p:${person.p1}`]) {
      const detail = await call('GET', `/api/v1/assessment/scores/${await idOf(subject)}`, cookies.operator);
      expect(detail.status).toBe(200);
      expect(detail.body.events.find((e: { id: number }) => e.id === ev.E1), subject).toMatchObject({ onTimeAccept: true, onTime: true, rating: 5, petitionSkip: false, title: '考评测试 E1' });
    }
    // Kept once per event, with the station's row; none with its teams' and people's.
    const { rows } = await ts.app.db.query<{ kind: string; n: number }>(
      `SELECT subject_kind AS kind, count(*)::int AS n FROM assessment_scores WHERE period = $1 AND event_facts IS NOT NULL GROUP BY 1`, [PERIOD]);
    expect(rows.filter((r) => r.kind !== 'station')).toEqual([]);
  });

  it('refusals name the field; a score that does not exist is 404 on body.subjectKey; a reused key is 409', async () => {
    const base = { period: PERIOD, subjectKey: `s:${A.station}`, points: 1, reason: '理由充分', requestKey: key() };
    for (const [patch, path] of [[{ points: 0 }, 'body.points'], [{ reason: '' }, 'body.reason'], [{ period: '2025-13' }, 'body.period'], [{ subjectKey: 'x:1' }, 'body.subjectKey']] as const) {
      const r = await call('POST', '/api/v1/assessment/adjustments', cookies.operator, { ...base, ...patch });
      expect(r.status, path).toBe(400);
      expect(r.body.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const missing = await call('POST', '/api/v1/assessment/adjustments', cookies.operator, { ...base, subjectKey: 'p:999999999' });
    expect(missing.status).toBe(404);
    expect(missing.body.issues[0].path).toBe('body.subjectKey');
    const k = key();
    expect((await call('POST', '/api/v1/assessment/adjustments', cookies.operator, { ...base, requestKey: k })).status).toBe(201);
    expect((await call('POST', '/api/v1/assessment/adjustments', cookies.operator, { ...base, subjectKey: `s:${B.station}`, requestKey: k })).status).toBe(409);
    expect((await call('POST', '/api/v1/assessment/adjustments', cookies.deputyA, { ...base, requestKey: key() })).status).toBe(403);
  });

  it('scope: a station leader reads only their station’s rows; another station’s deputy gets 404; grid staff 403', async () => {
    const mine = await call('GET', `/api/v1/assessment/scores?period=${PERIOD}&subjectKind=person`, cookies.deputyA);
    expect(mine.status).toBe(200);
    expect(mine.body.map((r: { personId: number }) => r.personId).sort()).toEqual([person.p1, person.p2].sort());
    expect(mine.body.find((r: { personId: number }) => r.personId === person.p2).rank).toBe(1); // 95 ahead of 52.5
    expect((await call('GET', `/api/v1/assessment/scores?period=${PERIOD}&stationId=${A.station}`, cookies.deputy)).status).toBe(404);
    expect((await call('GET', `/api/v1/assessment/scores/${await idOf(`s:${A.station}`)}`, cookies.deputy)).status).toBe(404);
    expect((await call('GET', `/api/v1/assessment/scores/${await idOf(`s:${A.station}`)}`, cookies.deputyA)).status).toBe(200);
    expect((await call('GET', `/api/v1/assessment/scores?period=${PERIOD}`, cookies.gridder)).status).toBe(403);
    const all = await call('GET', `/api/v1/assessment/scores?period=${PERIOD}`, cookies.operator);
    expect(all.body.map((r: { stationId: number }) => r.stationId)).toEqual(expect.arrayContaining([A.station, B.station]));
    const own = await call('GET', '/api/v1/assessment/scores/mine', cookies.p1);
    expect(own.status).toBe(200);
    expect(own.body).toEqual([expect.objectContaining({ period: PERIOD, personId: person.p1, total: 52.5, stars: 0 })]);
    const stars = await call('GET', '/api/v1/assessment/stars', cookies.deputyA);
    expect(stars.status).toBe(200);
    expect(stars.body.every((s: { stationId: number }) => s.stationId === A.station)).toBe(true);
  });

  it('S13 flags: set by the district with a reason, idempotent, audited, no event_log entry', async () => {
    const body = { groupIncident: true, reason: '经核实为群体性事件', requestKey: key() };
    const logs = async () => (await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_log WHERE event_id = $1`, [ev.E8])).rows[0].n;
    const before = await logs();
    const r = await call('POST', `/api/v1/events/${ev.E8}/flags`, cookies.operator, body);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ eventId: ev.E8, petitionSkip: false, groupIncident: true });
    expect((await call('POST', `/api/v1/events/${ev.E8}/flags`, cookies.operator, body)).body).toEqual(r.body);
    const { rows } = await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'event.flags' AND target = $1`, [`event:${ev.E8}`]);
    expect(rows[0].n).toBe(1);
    expect(await logs()).toBe(before);
    const bad = await call('POST', `/api/v1/events/${ev.E8}/flags`, cookies.operator, { reason: '无标记', requestKey: key() });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toContain('body.petitionSkip');
    expect((await call('POST', `/api/v1/events/${ev.E8}/flags`, cookies.deputyA, { ...body, requestKey: key() })).status).toBe(403);
  });

  it('compute now: refused for a year without rules (422); audited in the transaction that writes the scores', async () => {
    const none = await call('POST', '/api/v1/assessment/compute', cookies.operator, { period: '2099-01' });
    expect(none.status).toBe(422);
    const june = await call('POST', '/api/v1/assessment/compute', cookies.operator, { period: '2025-06' });
    expect(june.status).toBe(200);
    expect(june.body.frozen).toBe(true);
    const xmin = async (sql: string, arg: string) => (await ts.app.db.query<{ x: string }>(sql, [arg])).rows.map((r) => r.x);
    const written = await xmin(`SELECT DISTINCT xmin::text AS x FROM assessment_scores WHERE period = $1`, '2025-06');
    expect(written).toHaveLength(1);
    // The latest entry: the log is append-only, and an earlier run of this file wrote one too.
    expect(await xmin(`SELECT xmin::text AS x FROM audit_log WHERE action = 'assessment.compute' AND target = $1 ORDER BY id DESC LIMIT 1`, 'assessment_period:2025-06')).toEqual(written);
    const frozen = await call('POST', '/api/v1/assessment/compute', cookies.operator, { period: PERIOD });
    expect(frozen.status).toBe(200);
    expect(frozen.body.frozen).toBe(true);
    const bad = await call('POST', '/api/v1/assessment/compute', cookies.operator, { period: '2025-Q5' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('body.period');
  });
});

describe('people who handled events at two stations (2025-05; S13: a station answers for what was handled at it)', () => {
  it('a station’s reader sees only the station’s events in a score’s detail, whatever the row holds', async () => {
    await computePeriod(ts.app.db, MAY, { now: at('05-25T12:00') });
    // As a row computed before people were scored per station could hold: B's G3 among A's events.
    await ts.app.db.query(`UPDATE assessment_scores SET event_ids = event_ids || $2::bigint WHERE period = $1 AND subject_key = $3`, [MAY, ev.G3, `s:${A.station}`]);
    const id = (await stored(`s:${A.station}`, MAY))!.id;
    const ids = async (cookie: string) => (await call('GET', `/api/v1/assessment/scores/${id}`, cookie)).body.events.map((e: { id: number }) => e.id);
    expect(await ids(cookies.deputyA)).toEqual([ev.G1, ev.G2, ev.H1]);
    expect(await ids(cookies.operator)).toEqual([ev.G1, ev.G2, ev.G3, ev.H1]);
  });

  it('filed under the station where they handled the most events (a tie: their own station), counted with its events only', async () => {
    const r = await computePeriod(ts.app.db, MAY, { now: at('06-02T08:00') });
    expect(r.frozen).toBe(true);
    const p5 = (await stored(`p:${person.p5}`, MAY))!;
    expect(p5.station_id).toBe(A.station); // two at A, one at B; their own station is B
    expect(p5.event_ids).toEqual([ev.G1, ev.G2]);
    expect(p5.figures.on_time).toEqual({ value: 1, num: 1, den: 1 }); // G1; not G3, closed late at B
    expect(p5.figures.satisfaction).toEqual({ value: 1, num: 1, den: 1 }); // G1's 5; not G3's 1
    const p6 = (await stored(`p:${person.p6}`, MAY))!;
    expect(p6.station_id).toBe(B.station); // one at each: their own station
    expect(p6.event_ids).toEqual([ev.H2]);
    const list = async (cookie: string) => (await call('GET', `/api/v1/assessment/scores?period=${MAY}&subjectKind=person`, cookie)).body.map((x: { personId: number }) => x.personId);
    expect(await list(cookies.deputyA)).toEqual([person.p5]);
    expect(await list(cookies.deputyB)).toEqual([person.p6]);
    const detail = await call('GET', `/api/v1/assessment/scores/${p5.id}`, cookies.deputyA);
    expect(detail.body.events.map((e: { id: number }) => e.id)).toEqual([ev.G1, ev.G2]);
    expect((await call('GET', `/api/v1/assessment/scores/${p6.id}`, cookies.deputyA)).status).toBe(404);
  });

  it('the one-subject baseline files and counts every subject of the month the same way', async () => {
    const { rows } = await ts.app.db.query<{ key: string; figures: FiguresV1; total: number }>(
      `SELECT subject_key AS key, figures, computed_total AS total FROM assessment_scores WHERE period = $1 AND station_id = ANY($2::int[]) ORDER BY subject_key`,
      [MAY, [A.station, B.station]],
    );
    expect(rows.map((r) => r.key)).toEqual(expect.arrayContaining([`p:${person.p5}`, `p:${person.p6}`]));
    for (const r of rows) {
      const naive = await scoreSubjectNaive(ts.app.db, MAY, r.key, { now: at('06-02T08:00') });
      expect({ key: r.key, figures: naive.figures, total: naive.total }).toEqual({ key: r.key, figures: r.figures, total: r.total });
    }
  });
});

describe('the job (every 30 minutes and at start)', () => {
  it('freezes the ended periods of the last 13 months once (2025’s only), scores the open ones, skips the rest', async () => {
    const now = at('04-02T08:00');
    const run = await runAssessmentJob(ts.app, now);
    expect(run.ran).toBe(true);
    expect(run.failed).toEqual([]);
    const by = new Map(run.computed.map((c) => [c.period, c]));
    for (const p of ['2025-01', '2025-02', '2025-Q1']) expect(by.get(p)?.frozen, p).toBe(true);
    for (const p of ['2025-04', '2025-Q2', '2025']) expect(by.get(p)?.frozen, p).toBe(false);
    expect(by.has(PERIOD)).toBe(false); // already frozen
    // 2024: no rules, or rules someone left (created today, after 2024 ended): never frozen here.
    expect(run.computed.filter((c) => !c.period.startsWith('2025'))).toEqual([]);
    expect(run.skipped.map((x) => x.period)).toEqual(expect.arrayContaining(['2024-03', '2024-12', '2024-Q4', '2024']));
    const again = await runAssessmentJob(ts.app, now);
    expect(again.computed.map((c) => c.period)).toEqual(['2025-04', '2025-Q2', '2025']);
  });
});
