import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSet } from '@/lib/assessment/rules';
import { INDICATORS } from '@/lib/assessment/indicators';
import { shanghaiDay } from '@/lib/time/workdays';
import { hashPassword } from '../auth/password';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import { seedAssessmentRules } from './seed';

/*
 * Issue 15 point 1 (S13 assessment rules, S14 stars) through the real routes on a real PostgreSQL:
 * the seeded rules of the current year; a new version refused with the field named (the issue's
 * "bad input": an unknown indicator, a weight sum ≠ 100, overlapping stars); drafts versioned per
 * year and idempotent; activation idempotent, one active per year even under concurrent
 * requests; who may read and write; an audit row for each change and none for a retry.
 */

const ts = withTestServer(`assessment:${process.pid}:`);
const call = caller(() => ts.url);
const cookies: Record<string, string> = {};
const key = () => `ar-${randomUUID()}`;
/** Years of their own, far from the seeded current one, so the access matrix and the scoring tests never see these. */
const YEAR = 2091;
const RACE_YEAR = 2092;

const valid = (year = YEAR) => ({ ...defaultRuleSet(year), name: `  ${year} 测试细则  `, requestKey: key() });

async function auditRows(action: string, id: number): Promise<number> {
  const { rows } = await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND target = $2`, [action, `assessment_rules:${id}`]);
  return rows[0].n;
}

async function states(year: number): Promise<Record<number, string>> {
  const { rows } = await ts.app.db.query<{ version: number; state: string }>(`SELECT version, state FROM assessment_rule_sets WHERE year = $1 ORDER BY version`, [year]);
  return Object.fromEntries(rows.map((r) => [r.version, r.state]));
}

const cleanup = () => ts.app.db.query(`DELETE FROM assessment_rule_sets WHERE year IN ($1, $2)`, [YEAR, RACE_YEAR]);

beforeAll(async () => {
  const hash = await hashPassword('assessment-test');
  for (const [username, role] of [['ar-operator', 'district_operator'], ['ar-leader', 'district_leader']]) {
    await ts.app.db.query(
      `INSERT INTO accounts (username, password_hash, role, display_name) VALUES ($1, $2, $3, $1)
       ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, disabled = false`,
      [username, hash, role],
    );
  }
  await cleanup();
  for (const u of ['admin', 'chief', 'deputy', 'gridder']) cookies[u] = await login(ts.url, u);
  cookies.operator = await login(ts.url, 'ar-operator', 'assessment-test');
  cookies.leader = await login(ts.url, 'ar-leader', 'assessment-test');
}, 60_000);

afterAll(cleanup);

describe('the seeded rules (reference data, production too)', () => {
  it('the current year has exactly one active rule set after migration, and seeding again adds nothing', async () => {
    const year = Number(shanghaiDay(new Date()).slice(0, 4));
    const count = async () => (await ts.app.db.query<{ n: number; active: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE state = 'active')::int AS active FROM assessment_rule_sets WHERE year = $1`, [year])).rows[0];
    const before = await count();
    expect(before.active).toBe(1);
    await seedAssessmentRules(ts.app.db);
    expect(await count()).toEqual(before);
  });

  it('a new year carries over the latest earlier year’s active rules, the year in its name changed', async () => {
    const client = await ts.app.db.connect();
    try {
      await client.query('BEGIN');
      const edited = { ...defaultRuleSet(2097), name: '2097 年度区定细则', deductionCap: 25 };
      await client.query(
        `INSERT INTO assessment_rule_sets (year, version, name, body, state, activated_at) VALUES (2097, 3, $1, $2, 'active', now())`,
        [edited.name, JSON.stringify(edited)],
      );
      await seedAssessmentRules(client, new Date('2098-03-01T12:00:00+08:00'));
      const { rows } = await client.query<{ version: number; state: string; name: string; body: { year: number; deductionCap: number; name: string } }>(
        `SELECT version, state, name, body FROM assessment_rule_sets WHERE year = 2098`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ version: 1, state: 'active', name: '2098 年度区定细则', body: { year: 2098, deductionCap: 25, name: '2098 年度区定细则' } });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('reading (the district roles and the station leaders)', () => {
  it('the catalogue and the list for the district and the leaders; 403 for grid staff', async () => {
    const cat = await call('GET', '/api/v1/assessment/indicators', cookies.deputy);
    expect(cat.status).toBe(200);
    expect(cat.body.indicators.map((i: { code: string }) => i.code)).toEqual(INDICATORS.map((i) => i.code));
    expect(cat.body.functions).toEqual(['min', 'max', 'clamp', 'if', 'ifnull']);
    for (const who of ['admin', 'leader', 'operator', 'chief', 'deputy']) expect((await call('GET', '/api/v1/assessment/rules', cookies[who])).status, who).toBe(200);
    for (const path of ['/api/v1/assessment/indicators', '/api/v1/assessment/rules']) expect((await call('GET', path, cookies.gridder)).status).toBe(403);
  });

  it('a bad id is 400 naming params.id, a missing one 404, a bad year 400 naming query.year', async () => {
    const bad = await call('GET', '/api/v1/assessment/rules/abc', cookies.chief);
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([{ path: 'params.id', message: '须为正整数' }]);
    expect((await call('GET', '/api/v1/assessment/rules/2000000000', cookies.chief)).status).toBe(404);
    const year = await call('GET', '/api/v1/assessment/rules?year=1800', cookies.chief);
    expect(year.status).toBe(400);
    expect(year.body.issues.map((i: { path: string }) => i.path)).toEqual(['query.year']);
  });
});

describe('a new version is refused with the field named (issue 15 acceptance: bad input)', () => {
  it('a formula referencing an unknown indicator: body.items.<i>.formula, with the name and the position', async () => {
    const body = valid();
    body.items[1] = { ...body.items[1], formula: '20 * on_tmie' };
    const res = await call('POST', '/api/v1/assessment/rules', cookies.operator, body);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: 'body.items.1.formula', message: '第 6 个字符：未知的指标“on_tmie”' }]);
  });

  it('a weight sum other than 100: body.items', async () => {
    const body = valid();
    body.items[0] = { ...body.items[0], weight: 5 };
    const res = await call('POST', '/api/v1/assessment/rules', cookies.operator, body);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: 'body.items', message: '计分项分值之和须为 100，现为 95' }]);
  });

  it('overlapping star thresholds: body.stars.<i>', async () => {
    const body = valid();
    body.stars = body.stars.map((s) => (s.stars === 4 ? { ...s, min: 85 } : s));
    const res = await call('POST', '/api/v1/assessment/rules', cookies.operator, body);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: 'body.stars.3', message: '4 星区间与 3 星区间重叠：下限 85 小于上一区间的上限 88' }]);
    expect(res.body.message).toMatch(/body\.stars\.3/);
  });

  it('nothing refused was stored, and nothing audited', async () => {
    expect(await states(YEAR)).toEqual({});
  });
});

describe('versions and activation', () => {
  let v1 = 0;
  let v2 = 0;

  it('only editAssessment may write: the station’s chief, the district leader and grid staff are refused', async () => {
    for (const who of ['chief', 'leader', 'gridder']) {
      expect((await call('POST', '/api/v1/assessment/rules', cookies[who], valid())).status, who).toBe(403);
      expect((await call('POST', '/api/v1/assessment/rules/1/activate', cookies[who], { requestKey: key() })).status, who).toBe(403);
    }
    expect(await states(YEAR)).toEqual({});
  });

  it('a new version is a draft numbered after the year’s last, stored trimmed; a retry with its requestKey makes no second', async () => {
    const body = valid();
    const first = await call('POST', '/api/v1/assessment/rules', cookies.operator, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ year: YEAR, version: 1, state: 'draft', name: `${YEAR} 测试细则`, activatedAt: null, createdByName: 'ar-operator' });
    expect(first.body.body.items).toHaveLength(body.items.length);
    expect(first.body.body).not.toHaveProperty('requestKey');
    v1 = first.body.id;
    const again = await call('POST', '/api/v1/assessment/rules', cookies.operator, body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(v1);
    expect(await states(YEAR)).toEqual({ 1: 'draft' });
    expect(await auditRows('assessment.rules.create', v1)).toBe(1);

    const second = await call('POST', '/api/v1/assessment/rules', cookies.admin, { ...valid(), name: '第二版' });
    expect(second.status).toBe(201);
    expect(second.body.version).toBe(2);
    v2 = second.body.id;
    const one = await call('GET', `/api/v1/assessment/rules/${v2}`, cookies.deputy);
    expect(one.status).toBe(200);
    expect(one.body.body.name).toBe('第二版');
    const listed = await call('GET', `/api/v1/assessment/rules?year=${YEAR}`, cookies.chief);
    expect(listed.body.map((r: { version: number }) => r.version)).toEqual([2, 1]);
    expect(listed.body[0]).not.toHaveProperty('body');
  });

  it('a requestKey used for something else is refused (409), naming body.requestKey', async () => {
    const body = valid();
    expect((await call('POST', '/api/v1/assessment/rules', cookies.operator, body)).status).toBe(201);
    const reuse = await call('POST', `/api/v1/assessment/rules/${v1}/activate`, cookies.operator, { requestKey: body.requestKey });
    expect(reuse.status).toBe(409);
    expect(reuse.body.issues).toEqual([{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);
    // Another account's key is not a retry either.
    const theirs = await call('POST', '/api/v1/assessment/rules', cookies.admin, body);
    expect(theirs.status).toBe(409);
  });

  it('activation: a draft becomes the year’s rules, the previous active one retired; a retry changes nothing and audits nothing', async () => {
    const k1 = key();
    const a = await call('POST', `/api/v1/assessment/rules/${v1}/activate`, cookies.operator, { requestKey: k1 });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: v1, state: 'active' });
    expect(a.body.activatedAt).toMatch(/Z$/);
    expect((await call('POST', `/api/v1/assessment/rules/${v1}/activate`, cookies.operator, { requestKey: k1 })).body.state).toBe('active');
    expect(await auditRows('assessment.rules.activate', v1)).toBe(1);

    const b = await call('POST', `/api/v1/assessment/rules/${v2}/activate`, cookies.admin, { requestKey: key() });
    expect(b.body.state).toBe('active');
    expect(await states(YEAR)).toEqual({ 1: 'retired', 2: 'active', 3: 'draft' });
    const { rows } = await ts.app.db.query<{ detail: { retired: number[]; from: string } }>(
      `SELECT detail FROM audit_log WHERE action = 'assessment.rules.activate' AND target = $1`, [`assessment_rules:${v2}`]);
    expect(rows).toEqual([{ detail: { year: YEAR, version: 2, from: 'draft', retired: [1] } }]);

    // Activating the active one again (a new key) changes nothing and audits nothing.
    expect((await call('POST', `/api/v1/assessment/rules/${v2}/activate`, cookies.admin, { requestKey: key() })).status).toBe(200);
    expect(await auditRows('assessment.rules.activate', v2)).toBe(1);

    // Back to the earlier rules: a retired version may be activated again.
    const back = await call('POST', `/api/v1/assessment/rules/${v1}/activate`, cookies.operator, { requestKey: key() });
    expect(back.body.state).toBe('active');
    expect(await states(YEAR)).toEqual({ 1: 'active', 2: 'retired', 3: 'draft' });

    // The same key on another version is a mistake, not a retry.
    expect((await call('POST', `/api/v1/assessment/rules/${v2}/activate`, cookies.operator, { requestKey: k1 })).status).toBe(409);
    expect((await call('POST', '/api/v1/assessment/rules/2000000000/activate', cookies.operator, { requestKey: key() })).status).toBe(404);
  });

  it('the database holds one active per year itself', async () => {
    await expect(ts.app.db.query(
      `INSERT INTO assessment_rule_sets (year, version, name, body, state, activated_at) VALUES ($1, 99, 'x', '{}', 'active', now())`, [YEAR],
    )).rejects.toMatchObject({ code: '23505' });
  });
});

describe('under concurrent requests', () => {
  it('drafts at once get consecutive versions; activations at once leave exactly one active', async () => {
    const made = await Promise.all(Array.from({ length: 4 }, () => call('POST', '/api/v1/assessment/rules', cookies.operator, valid(RACE_YEAR))));
    expect(made.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(made.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4]);
    const acts = await Promise.all(made.map((r) => call('POST', `/api/v1/assessment/rules/${r.body.id}/activate`, cookies.operator, { requestKey: key() })));
    expect(acts.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const s = Object.values(await states(RACE_YEAR));
    expect(s.filter((x) => x === 'active')).toHaveLength(1);
    expect(s.filter((x) => x === 'retired')).toHaveLength(3);
  });
});
