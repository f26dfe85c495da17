import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSet } from '@/lib/assessment/rules';
import { migrate } from '../db/migrate';
import { createPool, type Db } from '../db/pool';
import { JOB_LOCK, runAssessmentJob, type AssessmentRun } from '../jobs/assessment';
import { TEST_DATABASE_URL } from '../test/env';
import { computePeriod } from './compute';

/*
 * The scoring job on a fresh production install (issue 15 point 2; S13, S14): a database of its own,
 * migrated and empty (no geography, no stations: what LIANDONG_MODE=production starts with), in
 * years nobody scores (2090–2092) so the real clock's rules (seeded by the migration) play no part.
 * An ended period is frozen only once the year's rules and a station existed before it ended, and
 * never without a station; a new year gets its rules from the job itself; a period that fails does
 * not stop the others; a second process finds the job's lock taken and does nothing.
 */

const NAME = `liandong_scorejob_${randomBytes(4).toString('hex')}`;
const urlOf = (database: string) => Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${database}` }).toString();
const at = (s: string) => new Date(`${s}+08:00`);

let admin: pg.Client;
let db: Db;

async function rules(year: number, created: string, body: unknown = defaultRuleSet(year), version = 1): Promise<void> {
  await db.query(
    `INSERT INTO assessment_rule_sets (year, version, name, body, state, created_at, activated_at) VALUES ($1, $2, $3, $4, 'active', $5, $5)`,
    [year, version, `${year} 测试细则`, JSON.stringify(body), at(created)],
  );
}

const frozenPeriods = async () => (await db.query<{ period: string }>(`SELECT period FROM assessment_periods ORDER BY period`)).rows.map((r) => r.period);
const skipped = (run: AssessmentRun, why: string) => run.skipped.filter((s) => s.why === why).map((s) => s.period).sort();
const frozenBy = (run: AssessmentRun) => run.computed.filter((c) => c.frozen).map((c) => c.period).sort();

beforeAll(async () => {
  admin = new pg.Client({ connectionString: urlOf('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${NAME}`);
  db = createPool(urlOf(NAME), 3);
  await migrate(db);
  await rules(2090, '2090-03-10T09:00');
}, 120_000);

afterAll(async () => {
  await db?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin?.end();
});

describe('the scoring job on a fresh install', () => {
  it('with no station, freezes nothing: the ended periods are left open (and computePeriod itself never freezes a period without a station)', async () => {
    const run = await runAssessmentJob({ db }, at('2090-07-05T12:00'));
    expect(run.ran).toBe(true);
    expect(frozenBy(run)).toEqual([]);
    expect(skipped(run, 'before_stations')).toEqual(['2090-03', '2090-04', '2090-05', '2090-06', '2090-Q1', '2090-Q2']);
    expect(run.computed.map((c) => c.period)).toEqual(['2090-07', '2090-Q3', '2090']); // open: scored, nothing to score
    expect(await frozenPeriods()).toEqual([]);
    const direct = await computePeriod(db, '2090-06', { now: at('2090-07-05T12:00') });
    expect(direct).toMatchObject({ subjects: 0, frozen: false });
    expect(await frozenPeriods()).toEqual([]);
  });

  it('freezes only what ended after the rules were created and after the first station existed', async () => {
    const district = '990000';
    const box = `ST_Multi(ST_MakeEnvelope(100, 10, 100.01, 10.01, 4326))`;
    await db.query(`INSERT INTO regions (code, name, level, parent_code, geom) VALUES ($1, '测试区', 'district', NULL, ${box}), ($2, '测试镇', 'town', $1, ${box})`, [district, `${district}001`]);
    await db.query(
      `INSERT INTO stations (code, name, town_code, location, created_at) VALUES ('JOB1', '测试站', $1, ST_SetSRID(ST_MakePoint(100.005, 10.005), 4326), $2)`,
      [`${district}001`, at('2090-05-10T09:00')],
    );
    const run = await runAssessmentJob({ db }, at('2090-07-05T12:00'));
    // Ended before the rules (10 March): January, February. Before the station (10 May): March, April, Q1.
    expect(skipped(run, 'before_rules')).toEqual(['2090-01', '2090-02']);
    expect(skipped(run, 'before_stations')).toEqual(['2090-03', '2090-04', '2090-Q1']);
    expect(frozenBy(run)).toEqual(['2090-05', '2090-06', '2090-Q2']);
    expect(run.computed.find((c) => c.period === '2090-06')?.subjects).toBe(1);
    expect(await frozenPeriods()).toEqual(['2090-05', '2090-06', '2090-Q2']);
  });

  it('across New Year the job seeds the new year’s rules itself; a failing period is logged and the others still scored', async () => {
    // 2090's rules replaced by a set the contract refuses: its periods fail. 2091's rules came in March.
    await db.query(`UPDATE assessment_rule_sets SET state = 'retired' WHERE year = 2090`);
    await rules(2090, '2090-08-01T09:00', {}, 2);
    await rules(2091, '2091-03-10T09:00', { ...defaultRuleSet(2091), name: '2091 年度测试细则' });
    const run = await runAssessmentJob({ db }, at('2092-01-05T12:00'));
    expect(run.failed.map((f) => f.period).sort()).toEqual(['2090', '2090-12', '2090-Q4']);
    expect(skipped(run, 'before_rules')).toEqual(['2091-01', '2091-02']);
    expect(frozenBy(run)).toEqual([
      '2091', '2091-03', '2091-04', '2091-05', '2091-06', '2091-07', '2091-08', '2091-09', '2091-10', '2091-11', '2091-12',
      '2091-Q1', '2091-Q2', '2091-Q3', '2091-Q4',
    ]);
    // The open month of 2092 is scored by rules carried over from 2091, not skipped for want of them.
    expect(run.skipped.filter((s) => s.period.startsWith('2092'))).toEqual([]);
    expect(run.computed.map((c) => c.period)).toEqual(expect.arrayContaining(['2092-01', '2092-Q1', '2092']));
    const { rows } = await db.query<{ state: string; name: string }>(`SELECT state, name FROM assessment_rule_sets WHERE year = 2092`);
    expect(rows).toEqual([{ state: 'active', name: '2092 年度测试细则' }]);
  });

  it('a second process finds the job’s lock taken and does nothing', async () => {
    const other = new pg.Client({ connectionString: urlOf(NAME) });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock($1)`, [JOB_LOCK]);
      const run = await runAssessmentJob({ db }, at('2092-02-05T12:00'));
      expect(run).toEqual({ ran: false, computed: [], skipped: [], failed: [] });
      expect(await frozenPeriods()).not.toContain('2092-01');
      await other.query(`SELECT pg_advisory_unlock($1)`, [JOB_LOCK]);
      const after = await runAssessmentJob({ db }, at('2092-02-05T12:00'));
      expect(after.ran).toBe(true);
      expect(frozenBy(after)).toContain('2092-01');
    } finally {
      await other.end();
    }
  });
});
