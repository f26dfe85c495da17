import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiAnswerV1, KpiEventsV1, KpiRankingV1, KpiTrendV1, KpiValue } from '@/lib/contracts/kpi';
import { PREDICATES } from './predicates';
import { addWorkingDays, shanghaiDay, type HolidayCalendar } from '@/lib/time/workdays';
import { login, withTestServer } from '../test/server';
import { plantEvent, plantGeo, removeGeo, type KpiGeo } from './fixture';

/*
 * Issue 13's acceptance for the KPIs: every figure of a fixture month (June 2026, with the Dragon
 * Boat holiday on Friday 19 June) against values counted by hand below, the working-day calendar
 * applied to 按期, the events behind each figure, the ranking, the trend, scope and validation.
 */

const ts = withTestServer(`kpi:${process.pid}:`);
const at = (local: string) => new Date(`${local}+08:00`);
const JUNE = 'period=range&from=2026-06-01&to=2026-06-30';
const cookies: Record<string, string> = {};
let g: KpiGeo;
const ids: Record<string, number> = {};

async function get<T>(who: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${ts.url}${path}`, { headers: { cookie: cookies[who] } });
  return { status: res.status, body: (await res.json()) as T };
}
const byCode = (values: KpiValue[]) => Object.fromEntries(values.map((v) => [v.code, v]));

let calendar: HolidayCalendar;

beforeAll(async () => {
  const db = ts.app.db;
  g = await plantGeo(db);
  const days = await db.query<{ day: string; kind: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM holidays`);
  calendar = {
    holidays: new Set(days.rows.filter((d) => d.kind === 'holiday').map((d) => d.day)),
    workdays: new Set(days.rows.filter((d) => d.kind === 'workday').map((d) => d.day)),
  };
  const acceptedHoliday = at('2026-06-16T09:00:00');
  const due = addWorkingDays(acceptedHoliday, 5, calendar);
  const plant = async (name: string, e: Parameters<typeof plantEvent>[2]) => (ids[name] = await plantEvent(db, g, e));
  // May: only the previous period sees it.
  await plant('E0', { reported: at('2026-05-31T23:59:00') });
  // Closed on time, rated 5: accept 1 h, handle 24 h.
  await plant('E1', {
    state: 'rated', reported: at('2026-06-01T09:00:00'), accepted: at('2026-06-01T10:00:00'), acceptDue: at('2026-06-02T09:00:00'),
    handled: at('2026-06-02T10:00:00'), handleDue: at('2026-06-08T10:00:00'), closed: at('2026-06-02T12:00:00'), rating: 5,
  });
  // Closed on time, rated 3: accept 4 h, handle 48 h.
  await plant('E2', {
    state: 'rated', reported: at('2026-06-02T09:00:00'), accepted: at('2026-06-02T13:00:00'), acceptDue: at('2026-06-03T09:00:00'),
    handled: at('2026-06-04T13:00:00'), handleDue: at('2026-06-09T13:00:00'), closed: at('2026-06-04T15:00:00'), rating: 3,
  });
  // Across the holiday: handled 6 calendar days (150 h) after acceptance, within 5 working days (due 24 June) → on time.
  await plant('E3', {
    state: 'closed', reported: at('2026-06-16T08:00:00'), accepted: acceptedHoliday, acceptDue: at('2026-06-17T08:00:00'),
    handled: at('2026-06-22T15:00:00'), handleDue: due, closed: at('2026-06-22T18:00:00'),
  });
  // The same limit (Wednesday 24 June 09:00: Friday 19 June is a holiday), handled an hour after it (193 h) → closed late, overdue.
  await plant('E4', {
    state: 'closed', reported: at('2026-06-16T08:30:00'), accepted: acceptedHoliday, acceptDue: at('2026-06-17T08:30:00'),
    handled: at('2026-06-24T10:00:00'), handleDue: due, closed: at('2026-06-24T12:00:00'),
  });
  // Accepted a day late (48 h) → overdue; still being handled.
  await plant('E5', {
    state: 'in_progress', reported: at('2026-06-03T09:00:00'), accepted: at('2026-06-05T09:00:00'), acceptDue: at('2026-06-04T09:00:00'),
    handleDue: at('2026-06-12T09:00:00'),
  });
  // Not accepted, a yellow card raised → overdue.
  await plant('E6', { state: 'reported', reported: at('2026-06-10T09:00:00'), acceptDue: at('2026-06-11T09:00:00'), card: 'yellow' });
  await plant('E7', { state: 'returned', reported: at('2026-06-11T09:00:00') });
  // Merged into E6 and flagged a repeat at intake.
  await plant('E8', { state: 'merged', reported: at('2026-06-12T09:00:00'), duplicateOf: ids.E6 });
  // Saturday report, a repeat, in the second grid: accepted Monday (72 h) within its limit.
  await plant('E9', {
    state: 'accepted', grid: 1, category: 'hazard', reported: at('2026-06-20T09:00:00'), accepted: at('2026-06-23T09:00:00'),
    acceptDue: at('2026-06-23T18:00:00'), duplicateOf: ids.E1,
  });
  await plant('E10', { reported: at('2026-06-30T23:30:00') });
  // July: outside.
  await plant('E11', { reported: at('2026-07-01T00:00:00') });

  // Units: one online, one silent for 10 minutes, one off duty (not counted).
  const unit = async (code: string, status: string, ageS: number) => {
    const id = (await db.query<{ id: number }>(
      `INSERT INTO units (code, name, kind, station_id, grid_code, status) VALUES ($1, $1, 'gridder', $2, $3, $4) RETURNING id`,
      [`${code}-${g.tag}`, g.station, g.grids[0], status],
    )).rows[0].id;
    await db.query(`INSERT INTO positions (unit_id, at, geom) VALUES ($1, now() - make_interval(secs => $2), ST_SetSRID(ST_MakePoint(100.005, 10.005), 4326))`, [id, ageS]);
    return id;
  };
  const u1 = await unit('ku1', 'available', 60);
  await unit('ku2', 'available', 600);
  await unit('ku3', 'off_duty', 30);
  // Coverage: two key places owed in June, one visited.
  const place = async (name: string) => (await db.query<{ id: number }>(
    `INSERT INTO places (name, category, risk_level, grid_code, location, created_at) VALUES ($1, 'shop', 'low', $2, ST_SetSRID(ST_MakePoint(100.005, 10.005), 4326), '2026-05-01') RETURNING id`,
    [name, g.grids[0]],
  )).rows[0].id;
  const p1 = await place('指标测试场所一');
  await place('指标测试场所二');
  await db.query(`INSERT INTO visits (place_id, unit_id, started_at, ended_at, source) VALUES ($1, $2, $3, $3, 'trace')`, [p1, u1, at('2026-06-05T10:00:00')]);

  // Mediation cases (issue 14): two agreements in June (2 and 5.5 days), one failure in June, one agreement in May (10 days), one open.
  const mediationCase = (key: string, opened: string, closed: string | null, outcome: string | null) => db.query(
    `INSERT INTO mediation_cases (station_id, dispute_kind, parties, summary, opened_at, due_at, state, closed_at, outcome, agreement, idempotency_key)
     VALUES ($1, 'neighbour', '[]', '指标测试纠纷', $2, $2::timestamptz + interval '30 days', $3, $4, $5, $6, $7)`,
    [g.station, at(opened), closed ? 'closed' : 'open', closed ? at(closed) : null, outcome, outcome === 'success' ? { terms: '和解' } : null, `kpi-${g.tag}-${key}`],
  );
  await mediationCase('M1', '2026-06-01T09:00:00', '2026-06-03T09:00:00', 'success');
  await mediationCase('M2', '2026-06-10T09:00:00', '2026-06-15T21:00:00', 'success');
  await mediationCase('M3', '2026-06-05T09:00:00', '2026-06-20T09:00:00', 'failed');
  await mediationCase('M4', '2026-05-20T09:00:00', '2026-05-30T09:00:00', 'success');
  await mediationCase('M5', '2026-06-25T09:00:00', null, null);

  cookies.admin = await login(ts.url, 'admin');
  cookies.chief = await login(ts.url, 'chief');
  cookies.gridder = await login(ts.url, 'gridder');
});

afterAll(async () => {
  if (g) await removeGeo(ts.app.db, g);
});

/** June of our station, counted by hand from the events above. */
const JUNE_VALUES = {
  reported: { value: 10, numerator: 10, denominator: null, previous: 1 },
  completion: { value: 4 / 8, numerator: 4, denominator: 8, previous: 0 },
  on_time: { value: 3 / 4, numerator: 3, denominator: 4, previous: null },
  overdue: { value: 3, numerator: 3, previous: 0 },
  // Accept hours 0.5, 1, 1, 4, 48, 72: p50 halfway from 1 to 4; p90 at 4.5 → 48 + 0.5 × 24.
  accept_p50: { value: 2.5, numerator: 6, previous: null },
  accept_p90: { value: 60, numerator: 6 },
  // Handle hours 24, 48, 150, 193: p50 at 1.5 → 48 + 0.5 × 102; p90 at 2.7 → 150 + 0.7 × 43.
  handle_p50: { value: 99, numerator: 4 },
  satisfaction: { value: 0.5, numerator: 1, denominator: 2 },
  // Closed in June: M1, M2 agreed, M3 failed → 2/3; May: M4 agreed → 1.
  mediation: { value: 2 / 3, numerator: 2, denominator: 3, previous: 1 },
  // Days to agreement in June: 2 and 5.5 → median 3.75 of 2; May: 10.
  mediation_days: { value: 3.75, numerator: 2, denominator: null, previous: 10 },
  repeat: { value: 0.2, numerator: 2, denominator: 10 },
  online: { value: 0.5, numerator: 1, denominator: 2, previous: null },
  coverage: { value: 0.5, numerator: 1, denominator: 2 },
};

describe('KPIs of a fixture month (issue 13)', () => {
  it('every figure of the station matches the hand count, with May beside it', async () => {
    const { status, body } = await get<KpiAnswerV1>('admin', `/api/v1/kpi?area=station:${g.station}&${JUNE}`);
    expect(status).toBe(200);
    expect(body.area).toMatchObject({ ref: `station:${g.station}`, kind: 'station', name: '指标测试站', parent: `town:${g.town}` });
    expect(body.previous).toEqual({ from: '2026-05-02', to: '2026-05-31' });
    const v = byCode(body.values);
    for (const [code, want] of Object.entries(JUNE_VALUES)) expect(v[code]).toMatchObject({ code, ...want });
    expect(v.handle_p90.value).toBeCloseTo(150 + 0.7 * 43, 9);
  });

  it('the town (only our station) and a scan of the grid say the same as the rollup', async () => {
    const town = byCode((await get<KpiAnswerV1>('admin', `/api/v1/kpi?area=town:${g.town}&${JUNE}`)).body.values);
    expect(town.completion).toMatchObject(JUNE_VALUES.completion);
    expect(town.overdue).toMatchObject({ value: 3 });
    const grid = await get<KpiAnswerV1>('admin', `/api/v1/kpi?area=grid:${g.grids[1]}&${JUNE}`);
    expect(grid.body.area).toMatchObject({ kind: 'grid', parent: `station:${g.station}` });
    const v = byCode(grid.body.values);
    expect(v.reported.value).toBe(1);
    expect(v.repeat.value).toBe(1);
    expect(v.accept_p50.value).toBe(72);
  });

  it('按期 counts working days: six calendar days across the Dragon Boat holiday are within five working days', async () => {
    const due = addWorkingDays(at('2026-06-16T09:00:00'), 5, calendar);
    // Tue 16 → Wed 17, Thu 18, (Fri 19 holiday, weekend), Mon 22, Tue 23, Wed 24.
    expect(due.toISOString()).toBe(at('2026-06-24T09:00:00').toISOString());
    const onTime = await get<KpiEventsV1>('admin', `/api/v1/kpi/events?area=station:${g.station}&${JUNE}&kpi=on_time`);
    const late = await get<KpiEventsV1>('admin', `/api/v1/kpi/events?area=station:${g.station}&${JUNE}&kpi=overdue`);
    expect(onTime.body.events.map((e) => e.id).sort()).toEqual([ids.E1, ids.E2, ids.E3].sort());
    expect(late.body.events.map((e) => e.id)).toContain(ids.E4);
    expect(late.body.events.map((e) => e.id)).not.toContain(ids.E3);
  });

  it('the events behind every figure are exactly as many as its numerator and denominator', async () => {
    const v = byCode((await get<KpiAnswerV1>('admin', `/api/v1/kpi?area=station:${g.station}&${JUNE}`)).body.values);
    for (const [code, p] of Object.entries(PREDICATES)) {
      const num = await get<KpiEventsV1>('admin', `/api/v1/kpi/events?area=station:${g.station}&${JUNE}&kpi=${code}`);
      expect({ code, n: num.body.total }).toEqual({ code, n: v[code].numerator });
      if (p.denominator) {
        const den = await get<KpiEventsV1>('admin', `/api/v1/kpi/events?area=station:${g.station}&${JUNE}&kpi=${code}&part=denominator`);
        expect({ code, n: den.body.total }).toEqual({ code, n: v[code].denominator });
      }
    }
    const hours = await get<KpiEventsV1>('admin', `/api/v1/kpi/events?area=station:${g.station}&${JUNE}&kpi=handle_p90`);
    expect(hours.body.events.map((e) => e.hours)).toEqual([193, 150, 48, 24]);
    const none = await get<{ issues: { path: string }[] }>('admin', `/api/v1/kpi/events?area=station:${g.station}&${JUNE}&kpi=online`);
    expect(none.status).toBe(422);
    expect(none.body.issues[0].path).toBe('query.kpi');
    const noDen = await get<{ issues: { path: string }[] }>('admin', `/api/v1/kpi/events?area=station:${g.station}&${JUNE}&kpi=overdue&part=denominator`);
    expect(noDen.status).toBe(422);
    expect(noDen.body.issues[0].path).toBe('query.part');
  });

  it('ranks the town’s stations and the station’s grids side by side', async () => {
    const town = await get<KpiRankingV1>('admin', `/api/v1/kpi/ranking?area=town:${g.town}&${JUNE}`);
    expect(town.body.rows).toHaveLength(1);
    expect(town.body.rows[0]).toMatchObject({ area: { ref: `station:${g.station}` }, values: { reported: 10, completion: 0.5, on_time: 0.75, online: 0.5, mediation: 2 / 3, mediation_days: 3.75 } });
    const grids = await get<KpiRankingV1>('admin', `/api/v1/kpi/ranking?area=station:${g.station}&${JUNE}`);
    expect(grids.body.rows.map((r) => [r.area.ref, r.values.reported, r.values.repeat, r.values.coverage])).toEqual([
      [`grid:${g.grids[0]}`, 9, 1 / 9, 0.5],
      [`grid:${g.grids[1]}`, 1, 1, null],
    ]);
    // Mediation cases carry a station, not a grid: not split below the station.
    expect(grids.body.rows.map((r) => r.values.mediation)).toEqual([null, null]);
    const district = await get<KpiRankingV1>('admin', `/api/v1/kpi/ranking?${JUNE}`);
    expect(district.body.rows.find((r) => r.area.ref === `station:${g.station}`)?.values.reported).toBe(10);
  });

  it('a change moves the figure as soon as it is committed (the rollup is kept by the same commit)', async () => {
    await ts.app.db.query(`UPDATE events SET state = 'closed', handled_at = $2, closed_at = $2 WHERE id = $1`, [ids.E5, at('2026-06-08T09:00:00')]);
    const v = byCode((await get<KpiAnswerV1>('admin', `/api/v1/kpi?area=station:${g.station}&${JUNE}`)).body.values);
    expect(v.completion).toMatchObject({ numerator: 5, denominator: 8 });
    expect(v.on_time).toMatchObject({ numerator: 4, denominator: 5 });
    await ts.app.db.query(`UPDATE events SET state = 'in_progress', handled_at = NULL, closed_at = NULL WHERE id = $1`, [ids.E5]);
  });

  it('trend: daily lines of the last days by day of report, categories stacked', async () => {
    const t1 = await plantEvent(ts.app.db, g, { category: 'hazard', reported: new Date(Date.now() - 3600_000) });
    const t2 = await plantEvent(ts.app.db, g, { reported: new Date(Date.now() - 26 * 3600_000), state: 'closed', closed: new Date() });
    const [d1, d2] = await Promise.all([t1, t2].map(async (id) => shanghaiDay((await ts.app.db.query<{ at: Date }>(`SELECT reported_at AS at FROM events WHERE id = $1`, [id])).rows[0].at)));
    const { body } = await get<KpiTrendV1>('admin', `/api/v1/kpi/trend?area=station:${g.station}&days=7`);
    expect(body.days).toHaveLength(7);
    expect(body.days.at(-1)!.day).toBe(shanghaiDay(new Date()));
    const sum = (day: string) => body.days.find((d) => d.day === day)!;
    if (d1 === d2) expect(sum(d1)).toMatchObject({ reported: 2, closed: 1, byCategory: { hazard: 1, dispute: 1 } });
    else {
      expect(sum(d1)).toMatchObject({ reported: 1, closed: 0, byCategory: { hazard: 1 } });
      expect(sum(d2)).toMatchObject({ reported: 1, closed: 1, byCategory: { dispute: 1 } });
    }
    expect(body.categories.map((c) => c.code).sort()).toEqual(['dispute', 'hazard']);
    expect(body.categories.every((c) => /[\u4e00-\u9fff]/.test(c.label))).toBe(true);
    const grid = await get<KpiTrendV1>('admin', `/api/v1/kpi/trend?area=grid:${g.grids[0]}&days=7`);
    expect(grid.body.days.reduce((n, d) => n + d.reported, 0)).toBe(2);
  });
});

describe('scope and validation of the KPI routes', () => {
  it('a station chief reads his own station, not another, nor the district', async () => {
    const own = (await ts.app.db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'chief'`)).rows[0].id;
    expect((await get('chief', `/api/v1/kpi?area=station:${own}`)).status).toBe(200);
    expect((await get('chief', `/api/v1/kpi?area=station:${g.station}`)).status).toBe(403);
    expect((await get('chief', `/api/v1/kpi/ranking?area=grid:${g.grids[0]}`)).status).toBe(403);
    expect((await get('chief', `/api/v1/kpi/events?kpi=reported&area=town:${g.town}`)).status).toBe(403);
    expect((await get('chief', `/api/v1/kpi`)).status).toBe(403);
    expect((await get('gridder', `/api/v1/kpi?area=station:${own}`)).status).toBe(403);
    expect((await get('admin', `/api/v1/kpi?area=town:nosuchtown`)).status).toBe(404);
    // An area outside the reach is refused the same whether it exists or not.
    expect((await get('chief', `/api/v1/kpi?area=grid:nosuchgrid`)).status).toBe(403);
  });

  it('errors name the field', async () => {
    const cases: [string, string][] = [
      ['/api/v1/kpi?period=range&from=2026-06-01', 'query.from'],
      ['/api/v1/kpi?period=range&from=2026-06-02&to=2026-06-01', 'query.to'],
      ['/api/v1/kpi?period=range&from=2020-01-01&to=2026-06-01', 'query.from'],
      ['/api/v1/kpi?period=range&from=1999-01-01&to=1999-01-02', 'query.from'],
      ['/api/v1/kpi?area=village:1', 'query.area'],
      ['/api/v1/kpi?period=year', 'query.period'],
      ['/api/v1/kpi/trend?days=8', 'query.days'],
      ['/api/v1/kpi/events?kpi=speed', 'query.kpi'],
      ['/api/v1/kpi/events?kpi=reported&part=half', 'query.part'],
      ['/api/v1/kpi/events?kpi=reported&offset=-1', 'query.offset'],
    ];
    for (const [path, field] of cases) {
      const { status, body } = await get<{ issues?: { path: string }[] }>('admin', path);
      expect({ path, status, fields: body.issues?.map((i) => i.path) }).toMatchObject({ path, status: 400, fields: expect.arrayContaining([field]) });
    }
  });
});
