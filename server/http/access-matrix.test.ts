import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTick } from '@/lib/live/pack';
import { hashPassword } from '../auth/password';
import { hashToken } from '../auth/token';
import { rasterFixture } from '../basemap/fixture';
import { socketHandlers } from '../live/sockets';
import { login, withTestServer } from '../test/server';
import { buildRouter } from './server';

/*
 * Issue 10's access matrix: every route of the router and every socket event, asked by every kind
 * of caller, must answer as written here: allowed (anything but 401/403/404 — a deliberately
 * invalid body then fails validation, 400/415/422, after the access check) or denied (401, 403 or
 * 404). The table is written by hand from the roles and the scope rule (lib/roles.ts,
 * lib/access/scope.ts), not derived from them, so a wrong permission in the code shows up here. A
 * route or socket event without a row fails the test. Fixtures belong to the demo's first station;
 * `otherChief` is the chief of another station, who must not reach them.
 */

const ts = withTestServer(`matrix:${process.pid}:`);

const STATION_ACCOUNTS = ['admin', 'chief', 'deputy', 'police', 'gridleader', 'instructor', 'gridder', 'parttime', 'informant', 'gridpolice', 'mediator', 'volunteer'] as const;
const EXTRA_ACCOUNTS = ['districtLeader', 'districtOperator', 'villageCadre', 'otherChief'] as const;
const ACCOUNTS = [...STATION_ACCOUNTS, ...EXTRA_ACCOUNTS] as const;
const PRINCIPALS = ['anon', 'wall', 'stationWall', 'device', 'apiKey', ...ACCOUNTS] as const;
type Principal = (typeof PRINCIPALS)[number];

const WALLS: Principal[] = ['wall', 'stationWall'];
const SESSIONS: Principal[] = [...ACCOUNTS, ...WALLS];
const everyone = (): Principal[] => [...PRINCIPALS];
const except = (list: readonly Principal[], ...out: Principal[]): Principal[] => list.filter((p) => !out.includes(p));
/** Station-scoped staff of the first station (reach 'station' or 'department'). */
const STATION_STAFF: Principal[] = ['chief', 'deputy', 'police', 'gridleader', 'instructor', 'gridder', 'parttime', 'gridpolice', 'mediator', 'villageCadre'];
const LEADERS: Principal[] = ['chief', 'deputy'];
const DISTRICT: Principal[] = ['admin', 'districtLeader', 'districtOperator'];
const ACTORS: Principal[] = ['chief', 'deputy', 'police', 'gridleader', 'mediator', 'gridder', 'otherChief'];
const RESPONDERS: Principal[] = except([...ACCOUNTS], 'admin', 'districtLeader', 'districtOperator');
const MANAGERS: Principal[] = ['admin', 'chief', 'deputy', 'otherChief'];
const GRID_STAFF: Principal[] = ['gridleader', 'instructor', 'gridder', 'parttime', 'informant', 'gridpolice'];

interface Fixtures {
  station: number;
  event: number;
  photo: string;
  consultation: number;
  person: number;
  account: number;
  unit: number;
}

interface Row {
  allow: Principal[];
  /** A query string or a body for the request (default: an invalid body, so nothing changes). */
  query?: (f: Fixtures) => string;
  body?: unknown;
  contentType?: string;
  /** A valid body sent by `otherChief` only, who must be refused by scope rather than by validation. */
  scoped?: (f: Fixtures) => unknown;
  /** Why this route is not fired by every principal (it would end the caller's session). */
  only?: Principal[];
  /** A path made fresh for each request, for a route that removes what its path names. */
  fresh?: (f: Fixtures) => Promise<string>;
}

const INVALID = { matrix: 'invalid body' };
const key = () => `matrix-${randomUUID()}`;
/** The api_key of the matrix's Open311 client application (issue 14). */
const MATRIX_OPEN311 = `matrix-open311-${randomUUID()}`;

/** Every route, by `METHOD path` as registered. */
const TABLE: Record<string, Row> = {
  'GET /healthz': { allow: everyone() },
  'GET /readyz': { allow: everyone() },
  'GET /version': { allow: everyone() },
  'GET /metrics': { allow: ['admin'] },
  'POST /api/v1/auth/login': { allow: everyone() },
  'POST /api/v1/auth/logout': { allow: everyone(), only: ['anon'] },
  'POST /api/v1/setup': { allow: everyone() },
  'GET /api/v1/auth/demo-accounts': { allow: everyone() },
  'GET /api/v1/auth/me': { allow: SESSIONS },
  'GET /api/v1/regions': { allow: SESSIONS, query: () => '?level=town' },
  'GET /api/v1/stations': { allow: SESSIONS },
  'GET /api/v1/places': { allow: SESSIONS },
  'POST /api/v1/places': { allow: ['admin', 'chief', 'deputy', 'otherChief', ...GRID_STAFF] },
  'GET /api/v1/units': { allow: SESSIONS },
  'GET /api/v1/live/stats': { allow: SESSIONS },
  'POST /api/v1/positions': { allow: ['device'] },
  'GET /api/v1/incidents/live': { allow: SESSIONS },
  'GET /api/v1/incidents/heat': { allow: SESSIONS },
  'POST /api/v1/events': { allow: [...ACCOUNTS, 'apiKey'] },
  'GET /api/v1/events': { allow: [...ACCOUNTS] },
  // The gridder reported the fixture; the police see it only once it is routed to them; volunteers only their own.
  'GET /api/v1/events/:id': { allow: [...DISTRICT, ...except(STATION_STAFF, 'police')] },
  'POST /api/v1/events/:id/actions': { allow: ACTORS, scoped: () => ({ action: 'accept' }) },
  'POST /api/v1/events/:id/lock': { allow: ACTORS, scoped: () => ({ takeover: true }) },
  'POST /api/v1/events/:id/unlock': { allow: ACTORS },
  'POST /api/v1/events/:id/tasks/:task/done': { allow: ACTORS },
  'GET /api/v1/notices': { allow: SESSIONS },
  'POST /api/v1/notices/read': { allow: [...ACCOUNTS] },
  'GET /api/v1/categories': { allow: SESSIONS },
  'GET /api/v1/departments': { allow: SESSIONS },
  'POST /api/v1/photos': { allow: [...ACCOUNTS, 'apiKey'], contentType: 'image/png', body: 'not an image' },
  'GET /api/v1/photos/:id': { allow: [...DISTRICT, ...except(STATION_STAFF, 'police')] },
  'POST /api/v1/stats': { allow: ['apiKey'], contentType: 'text/csv', body: 'not,a,header\n' },
  'GET /api/v1/stats': { allow: [...DISTRICT, ...LEADERS, 'otherChief'] },
  // Cockpit figures (issue 13): the district roles, the station's leaders and walls, on the first station; another station's chief is refused by scope.
  'GET /api/v1/kpi': { allow: [...DISTRICT, ...LEADERS, ...WALLS], query: (f) => `?area=station:${f.station}` },
  'GET /api/v1/kpi/ranking': { allow: [...DISTRICT, ...LEADERS, ...WALLS], query: (f) => `?area=station:${f.station}` },
  'GET /api/v1/kpi/trend': { allow: [...DISTRICT, ...LEADERS, ...WALLS], query: (f) => `?area=station:${f.station}&days=7` },
  'GET /api/v1/kpi/events': { allow: [...DISTRICT, ...LEADERS, ...WALLS], query: (f) => `?area=station:${f.station}&kpi=reported&period=month` },
  'GET /api/v1/openapi.json': { allow: everyone() },
  'GET /api/v1/admin/taxonomy': { allow: ['admin'] },
  'POST /api/v1/admin/categories': { allow: ['admin'] },
  'PATCH /api/v1/admin/categories/:code': { allow: ['admin'] },
  'PUT /api/v1/admin/time-limits': { allow: ['admin'] },
  'DELETE /api/v1/admin/time-limits/:id': { allow: ['admin'] },
  'GET /api/v1/admin/joint-rules': { allow: ['admin'] },
  'PUT /api/v1/admin/joint-rules/:code': { allow: ['admin'] },
  'GET /api/v1/admin/holidays': { allow: ['admin'] },
  'PUT /api/v1/admin/holidays/:day': { allow: ['admin'] },
  'DELETE /api/v1/admin/holidays/:day': { allow: ['admin'] },
  'GET /api/v1/command/live': { allow: SESSIONS },
  'GET /api/v1/command/mine': { allow: [...ACCOUNTS] },
  'GET /api/v1/dispatches/proposal': { allow: LEADERS, query: (f) => `?event=${f.event}` },
  'POST /api/v1/dispatches': { allow: [...LEADERS, 'otherChief'], scoped: (f) => ({ eventId: f.event, unitIds: [f.unit], requestKey: key() }) },
  'POST /api/v1/dispatches/:id/steps': { allow: RESPONDERS },
  'POST /api/v1/dispatches/:id/reassign': { allow: [...LEADERS, 'otherChief'] },
  'POST /api/v1/consultations': { allow: [...LEADERS, 'otherChief'], scoped: (f) => ({ eventIds: [f.event], requestKey: key() }) },
  // Its station's screens and the district see it; the fixture invited no volunteer.
  'GET /api/v1/consultations/:id': { allow: [...DISTRICT, ...STATION_STAFF, ...WALLS] },
  'POST /api/v1/consultations/:id/reply': { allow: RESPONDERS },
  'POST /api/v1/consultations/:id/decisions': { allow: [...LEADERS, 'otherChief'] },
  'POST /api/v1/consultations/:id/open': { allow: [...LEADERS, 'otherChief'] },
  'POST /api/v1/consultations/:id/attendance': { allow: [...LEADERS, 'otherChief'] },
  'POST /api/v1/consultations/:id/close': { allow: [...LEADERS, 'otherChief'], scoped: () => ({ summary: '越权关闭', requestKey: key() }) },
  // A station's own meetings and plan: district roles and district walls have no one station here.
  'GET /api/v1/meetings': { allow: [...STATION_STAFF, 'stationWall', 'otherChief'] },
  'GET /api/v1/inspections/plan': { allow: [...STATION_STAFF, 'stationWall', 'otherChief'] },
  'POST /api/v1/inspections': { allow: ['chief', 'deputy', 'police', 'gridleader', 'gridder', 'otherChief'] },
  'POST /api/v1/inspections/:id/findings': { allow: ['chief', 'deputy', 'police', 'gridleader', 'gridder', 'otherChief'] },
  'POST /api/v1/key-periods': { allow: [...LEADERS, 'otherChief'] },
  'POST /api/v1/stations': { allow: ['admin'] },
  'PATCH /api/v1/stations/:id': { allow: ['admin'] },
  'GET /api/v1/stations/:id/setup': { allow: ['admin', ...LEADERS] },
  'PUT /api/v1/stations/:id/departments/:code': { allow: MANAGERS, scoped: () => ({ residency: 'on_call' }) },
  'DELETE /api/v1/stations/:id/departments/:code': { allow: ['admin', ...LEADERS] },
  'POST /api/v1/stations/:id/rotations': { allow: MANAGERS, scoped: () => ({ department: 'justice', startsAt: '2027-01-04T00:00:00+08:00', endsAt: '2027-01-09T00:00:00+08:00' }) },
  'DELETE /api/v1/stations/:id/rotations/:rid': {
    allow: ['admin', ...LEADERS],
    fresh: async (f) => {
      const { rows } = await ts.app.db.query<{ id: number }>(
        `INSERT INTO department_rotations (station_id, department_id, starts_at, ends_at)
         SELECT $1, id, now(), now() + interval '1 day' FROM departments WHERE code = 'justice' RETURNING id`,
        [f.station],
      );
      return `/api/v1/stations/${f.station}/rotations/${rows[0].id}`;
    },
  },
  'PUT /api/v1/stations/:id/roster': { allow: MANAGERS, scoped: () => ({ day: '2027-01-04', department: 'police', personIds: [] }) },
  'GET /api/v1/people': { allow: MANAGERS },
  'POST /api/v1/people': { allow: MANAGERS, scoped: (f) => ({ name: '越权', stationId: f.station, roles: [{ role: 'volunteer' }] }) },
  'PUT /api/v1/people/:id': { allow: MANAGERS, scoped: (f) => ({ name: '越权', stationId: f.station, roles: [{ role: 'volunteer' }] }) },
  'POST /api/v1/accounts': { allow: MANAGERS, scoped: (f) => ({ personId: f.person, username: `x${Date.now()}`, password: 'long-enough-pw', role: 'volunteer' }) },
  'PATCH /api/v1/accounts/:id': { allow: MANAGERS, scoped: () => ({ disabled: true }) },
  'POST /api/v1/accounts/:id/password': { allow: MANAGERS, scoped: () => ({ password: 'another-long-pw' }) },
  'POST /api/v1/accounts/:id/sign-out': { allow: MANAGERS, scoped: () => ({}) },
  'GET /api/v1/admin/units': { allow: MANAGERS },
  'POST /api/v1/admin/units': { allow: MANAGERS, scoped: (f) => ({ code: `x${Date.now()}`, name: '越权', kind: 'volunteer', mobility: 'foot', stationId: f.station, personId: f.person }) },
  'GET /api/v1/admin/device-tokens': { allow: MANAGERS },
  'POST /api/v1/admin/device-tokens': { allow: MANAGERS, scoped: (f) => ({ name: '越权', unitId: f.unit, stationId: null }) },
  'POST /api/v1/admin/device-tokens/:id/revoke': { allow: MANAGERS },
  'GET /api/v1/admin/displays': { allow: MANAGERS },
  'POST /api/v1/admin/displays': { allow: MANAGERS, scoped: (f) => ({ name: '越权', stationId: f.station }) },
  'POST /api/v1/admin/displays/:id/revoke': { allow: MANAGERS },
  'GET /api/v1/admin/api-keys': { allow: ['admin'] },
  'POST /api/v1/admin/api-keys': { allow: ['admin'] },
  'POST /api/v1/admin/api-keys/:id/revoke': { allow: ['admin'] },
  'POST /api/v1/import/people': { allow: MANAGERS, contentType: 'text/csv', body: '姓名\n' },
  'GET /api/v1/import/people/template.xlsx': { allow: MANAGERS },
  'POST /api/v1/import/stations': { allow: ['admin'], contentType: 'text/csv', body: '编码\n' },
  'GET /api/v1/import/stations/template.xlsx': { allow: ['admin'] },
  'POST /api/v1/import/units': { allow: MANAGERS, contentType: 'text/csv', body: '编码\n' },
  'GET /api/v1/import/units/template.xlsx': { allow: MANAGERS },
  // Coverage (issue 12): figures within the viewer's reach for every session; check-ins by grid staff and leaders (editPlaces).
  'GET /api/v1/coverage': { allow: SESSIONS },
  'GET /api/v1/coverage/owed': { allow: SESSIONS },
  'GET /api/v1/coverage/mine': { allow: SESSIONS },
  // Issue 13: the basemap is not scoped data — every session reads it (the file is configured in beforeAll).
  'GET /api/v1/basemap': { allow: SESSIONS },
  'GET /api/v1/basemap/tiles.pmtiles': { allow: SESSIONS },
  'POST /api/v1/visits': { allow: ['admin', 'chief', 'deputy', 'otherChief', ...GRID_STAFF] },
  'GET /api/v1/admin/coverage-settings': { allow: ['admin'] },
  'PUT /api/v1/admin/coverage-settings': { allow: ['admin'] },
  'PUT /api/v1/stations/:id/patrol-minimum': { allow: ['admin', ...LEADERS] },
  // History playback (issue 12): the first station's traces for the district, its staff and its wall; not another station's chief, not those who see only their own reports.
  'GET /api/v1/history/traces': { allow: [...DISTRICT, ...STATION_STAFF, ...WALLS], query: (f) => `?station=${f.station}&from=2026-01-01T08:00:00Z&to=2026-01-01T09:00:00Z` },
  'GET /api/v1/history/snapshot': { allow: [...DISTRICT, ...STATION_STAFF, ...WALLS], query: (f) => `?units=${f.unit}&at=2026-01-01T08:00:00Z` },
  'GET /api/v1/history/events': { allow: SESSIONS, query: () => '?from=2026-01-01T08:00:00Z&to=2026-01-01T09:00:00Z' },
  // One inspection of the first station, long past so no month's plan counts it, made on first use.
  'GET /api/v1/inspections/:id/route': ((): Row => {
    let made: Promise<number> | undefined;
    return {
      allow: [...DISTRICT, ...STATION_STAFF, ...WALLS],
      fresh: async (f) => {
        made ??= ts.app.db.query<{ id: number }>(
          `INSERT INTO inspections (station_id, kind, day, area, participants) VALUES ($1, 'station_monthly', '2001-01-01', '矩阵测试', '{无此人}') RETURNING id`,
          [f.station],
        ).then((r) => r.rows[0].id);
        return `/api/v1/inspections/${await made}/route`;
      },
    };
  })(),
  // Issue 12: 上岗/下岗 for accounts that may have a unit (one without answers 409); OsmAnd with a device token
  // (the fixture's Bearer header; ?token= is the same token), which no session stands in for.
  'GET /api/v1/duty': { allow: RESPONDERS },
  'POST /api/v1/duty': { allow: RESPONDERS },
  'GET /api/v1/osmand': { allow: ['device'] },
  'POST /api/v1/osmand': { allow: ['device'], contentType: 'application/x-www-form-urlencoded', body: 'matrix=invalid' },
  'PATCH /api/v1/admin/device-tokens/:id': { allow: MANAGERS },
  // Issue 12 registers: one active place / key person of the first station (from the demo seed) for the :id routes; otherChief is refused by scope.
  'PATCH /api/v1/places/:id': { allow: ['admin', 'chief', 'deputy', 'otherChief', ...GRID_STAFF], scoped: () => ({ name: '越权' }), fresh: async (f) => `/api/v1/places/${(await ts.app.db.query<{ id: number }>(`SELECT p.id FROM places p JOIN regions g ON g.code = p.grid_code JOIN station_villages sv ON sv.village_code = g.parent_code WHERE sv.station_id = $1 AND p.removed_at IS NULL ORDER BY p.id LIMIT 1`, [f.station])).rows[0].id}` },
  'DELETE /api/v1/places/:id': { allow: ['admin', 'chief', 'deputy', 'otherChief', ...GRID_STAFF], scoped: () => ({}), fresh: async (f) => `/api/v1/places/${(await ts.app.db.query<{ id: number }>(`SELECT p.id FROM places p JOIN regions g ON g.code = p.grid_code JOIN station_villages sv ON sv.village_code = g.parent_code WHERE sv.station_id = $1 AND p.removed_at IS NULL ORDER BY p.id LIMIT 1`, [f.station])).rows[0].id}` },
  'GET /api/v1/key-persons': { allow: ['admin', 'districtLeader', 'districtOperator', 'chief', 'deputy', 'gridleader', 'instructor', 'gridder', 'parttime', 'gridpolice', 'otherChief'] },
  'POST /api/v1/key-persons': { allow: ['admin', 'chief', 'deputy', 'gridleader', 'instructor', 'gridder', 'parttime', 'gridpolice', 'otherChief'] },
  'GET /api/v1/key-persons/:id': { allow: ['admin', 'districtLeader', 'districtOperator', 'chief', 'deputy', 'gridleader', 'instructor', 'gridder', 'parttime', 'gridpolice'], fresh: async (f) => `/api/v1/key-persons/${(await ts.app.db.query<{ id: number }>(`SELECT k.id FROM key_persons k JOIN regions g ON g.code = k.grid_code JOIN station_villages sv ON sv.village_code = g.parent_code WHERE sv.station_id = $1 AND k.removed_at IS NULL ORDER BY k.id LIMIT 1`, [f.station])).rows[0].id}` },
  'PATCH /api/v1/key-persons/:id': { allow: ['admin', 'chief', 'deputy', 'gridleader', 'instructor', 'gridder', 'parttime', 'gridpolice', 'otherChief'], scoped: () => ({ address: '越权' }), fresh: async (f) => `/api/v1/key-persons/${(await ts.app.db.query<{ id: number }>(`SELECT k.id FROM key_persons k JOIN regions g ON g.code = k.grid_code JOIN station_villages sv ON sv.village_code = g.parent_code WHERE sv.station_id = $1 AND k.removed_at IS NULL ORDER BY k.id LIMIT 1`, [f.station])).rows[0].id}` },
  'DELETE /api/v1/key-persons/:id': { allow: ['admin', 'chief', 'deputy', 'gridleader', 'instructor', 'gridder', 'parttime', 'gridpolice', 'otherChief'], scoped: () => ({}), fresh: async (f) => `/api/v1/key-persons/${(await ts.app.db.query<{ id: number }>(`SELECT k.id FROM key_persons k JOIN regions g ON g.code = k.grid_code JOIN station_villages sv ON sv.village_code = g.parent_code WHERE sv.station_id = $1 AND k.removed_at IS NULL ORDER BY k.id LIMIT 1`, [f.station])).rows[0].id}` },
  'POST /api/v1/import/places': { allow: ['admin', 'chief', 'deputy', 'otherChief', ...GRID_STAFF], contentType: 'text/csv', body: '名称\n' },
  'GET /api/v1/import/places/template.xlsx': { allow: ['admin', 'chief', 'deputy', 'otherChief', ...GRID_STAFF] },
  'POST /api/v1/import/key-persons': { allow: ['admin', 'chief', 'deputy', 'gridleader', 'instructor', 'gridder', 'parttime', 'gridpolice', 'otherChief'], contentType: 'text/csv', body: '姓名\n' },
  'GET /api/v1/import/key-persons/template.xlsx': { allow: ['admin', 'chief', 'deputy', 'gridleader', 'instructor', 'gridder', 'parttime', 'gridpolice', 'otherChief'] },
  // Early warnings (issue 13): read by the district, the stations' leaders and the walls; acted on by the district's leader and
  // operator and the station's leaders (otherChief: 404 reading the first station's warning, 403 acting on it); run now by admin and operator.
  'GET /api/v1/warnings': { allow: [...DISTRICT, ...LEADERS, 'otherChief', ...WALLS] },
  'GET /api/v1/warnings/:id': { allow: [...DISTRICT, ...LEADERS, ...WALLS], fresh: async (f) => `/api/v1/warnings/${await matrixWarning(f)}` },
  'POST /api/v1/warnings/:id/acknowledge': { allow: ['districtLeader', 'districtOperator', ...LEADERS], fresh: async (f) => `/api/v1/warnings/${await matrixWarning(f)}/acknowledge` },
  'POST /api/v1/warnings/:id/convert': { allow: ['districtLeader', 'districtOperator', ...LEADERS], fresh: async (f) => `/api/v1/warnings/${await matrixWarning(f)}/convert` },
  'GET /api/v1/admin/warning-settings': { allow: ['admin'] },
  'PUT /api/v1/admin/warning-settings': { allow: ['admin'] },
  'POST /api/v1/admin/warnings/run': { allow: ['admin', 'districtOperator'] },
  // 考评细则 (issue 15 point 1; S13): read by the district roles and every station's two leaders (district-wide reference data, so
  // otherChief too; no wall); a new version and its activation by PERMISSIONS.editAssessment (the administrator, the district's operator).
  'GET /api/v1/assessment/indicators': { allow: [...DISTRICT, ...LEADERS, 'otherChief'] },
  'GET /api/v1/assessment/rules': { allow: [...DISTRICT, ...LEADERS, 'otherChief'] },
  'GET /api/v1/assessment/rules/:id': {
    allow: [...DISTRICT, ...LEADERS, 'otherChief'],
    fresh: async () => `/api/v1/assessment/rules/${(await ts.app.db.query<{ id: number }>(`SELECT min(id) AS id FROM assessment_rule_sets`)).rows[0].id}`,
  },
  'POST /api/v1/assessment/rules': { allow: ['admin', 'districtOperator'] },
  'POST /api/v1/assessment/rules/:id/activate': { allow: ['admin', 'districtOperator'] },
  // Mediation (issue 14; S4, S8): read by those who mediate and the district (otherChief: its own station's, none of ours);
  // cases changed by PERMISSIONS.mediate within the station (otherChief: 404 by scope); registers kept by manageStation.
  // The agreement is read only by those who see the parties in clear: the station's leaders and the case's mediator.
  'GET /api/v1/mediation/studios': { allow: [...DISTRICT, ...LEADERS, 'mediator', 'otherChief'] },
  'POST /api/v1/mediation/studios': { allow: MANAGERS },
  'PATCH /api/v1/mediation/studios/:id': { allow: ['admin', ...LEADERS], scoped: () => ({ address: '越权' }), fresh: async (f) => `/api/v1/mediation/studios/${(await matrixCase(f)).studio}` },
  'GET /api/v1/mediation/mediators': { allow: [...DISTRICT, ...LEADERS, 'mediator', 'otherChief'] },
  'POST /api/v1/mediation/mediators': { allow: MANAGERS },
  'PATCH /api/v1/mediation/mediators/:id': { allow: ['admin', ...LEADERS], scoped: () => ({ active: true }), fresh: async (f) => `/api/v1/mediation/mediators/${(await matrixCase(f)).mediator}` },
  'GET /api/v1/mediation/cases': { allow: [...DISTRICT, ...LEADERS, 'mediator', 'otherChief'] },
  'POST /api/v1/mediation/cases': { allow: [...LEADERS, 'mediator', 'otherChief'] },
  'GET /api/v1/mediation/cases/:id': { allow: [...DISTRICT, ...LEADERS, 'mediator'], fresh: async (f) => `/api/v1/mediation/cases/${(await matrixCase(f)).case}` },
  'GET /api/v1/mediation/cases/:id/agreement': { allow: [...LEADERS, 'mediator'], fresh: async (f) => `/api/v1/mediation/cases/${(await matrixCase(f)).case}/agreement` },
  'POST /api/v1/mediation/cases/:id/assign': { allow: [...LEADERS, 'mediator'], scoped: () => ({ requestKey: key(), mediatorId: null }), fresh: async (f) => `/api/v1/mediation/cases/${(await matrixCase(f)).case}/assign` },
  'POST /api/v1/mediation/cases/:id/sessions': { allow: [...LEADERS, 'mediator'], scoped: () => ({ requestKey: key(), at: '2026-12-08T14:00:00+08:00', place: '越权' }), fresh: async (f) => `/api/v1/mediation/cases/${(await matrixCase(f)).case}/sessions` },
  'POST /api/v1/mediation/cases/:id/close': { allow: [...LEADERS, 'mediator'], scoped: () => ({ requestKey: key(), outcome: 'failed' }), fresh: async (f) => `/api/v1/mediation/cases/${(await matrixCase(f)).case}/close` },
  'POST /api/v1/mediation/cases/:id/followup': { allow: [...LEADERS, 'mediator'], scoped: () => ({ requestKey: key(), note: '越权' }), fresh: async (f) => `/api/v1/mediation/cases/${(await matrixCase(f)).case}/followup` },
  'GET /api/v1/mediation/mine': { allow: [...DISTRICT, ...LEADERS, 'mediator', 'otherChief'] },
  'GET /api/v1/mediation/pending': { allow: [...DISTRICT, ...LEADERS, 'mediator', 'otherChief'] },
  // Yearly reviews (issue 15 point 3, S14): read by the district and the station's two leaders (otherChief: its own, none of ours; 404 on ours);
  // changed by PERMISSIONS.reviewStations (the district); a follow-up task closed by its own station's leaders (otherChief: 404 by scope).
  'GET /api/v1/reviews': { allow: [...DISTRICT, ...LEADERS, 'otherChief'] },
  'POST /api/v1/reviews': { allow: DISTRICT },
  'GET /api/v1/reviews/:id': { allow: [...DISTRICT, ...LEADERS], fresh: async (f) => `/api/v1/reviews/${(await matrixReview(f)).review}` },
  'PUT /api/v1/reviews/:id': { allow: DISTRICT, fresh: async (f) => `/api/v1/reviews/${(await matrixReview(f)).review}` },
  'POST /api/v1/reviews/:id/figures': { allow: DISTRICT, fresh: async (f) => `/api/v1/reviews/${(await matrixReview(f)).review}/figures` },
  'POST /api/v1/reviews/:id/score': { allow: DISTRICT, fresh: async (f) => `/api/v1/reviews/${(await matrixReview(f)).review}/score` },
  'POST /api/v1/reviews/:id/tasks': { allow: DISTRICT, fresh: async (f) => `/api/v1/reviews/${(await matrixReview(f)).review}/tasks` },
  'GET /api/v1/review-tasks': { allow: [...DISTRICT, ...LEADERS, 'otherChief'] },
  'POST /api/v1/review-tasks/:id/done': { allow: LEADERS, scoped: () => ({ requestKey: key(), note: '越权' }), fresh: async (f) => `/api/v1/review-tasks/${(await matrixReview(f)).task}/done` },
  // Accountability (issue 15 point 4, S13): made and revoked by the district; read by the district, the station's leaders and the person named
  // (the fixture record names the gridder); /mine for every account, not a wall (a screen is no person).
  'GET /api/v1/accountability': { allow: [...DISTRICT, ...LEADERS, 'otherChief'] },
  'GET /api/v1/accountability/mine': { allow: [...ACCOUNTS] },
  'GET /api/v1/accountability/prefill': { allow: DISTRICT, query: (f) => `?event=${f.event}` },
  'GET /api/v1/accountability/overdue': { allow: DISTRICT, query: (f) => `?stationId=${f.station}&period=2026-11` },
  'POST /api/v1/accountability': { allow: DISTRICT },
  'GET /api/v1/accountability/:id': { allow: [...DISTRICT, ...LEADERS, 'gridder'], fresh: async (f) => `/api/v1/accountability/${(await matrixReview(f)).record}` },
  'POST /api/v1/accountability/:id/revoke': { allow: DISTRICT, fresh: async (f) => `/api/v1/accountability/${(await matrixReview(f)).record}/revoke` },
  'GET /api/v1/audit': { allow: DISTRICT },
  'GET /api/v1/audit/actions': { allow: DISTRICT },
  'GET /api/v1/audit/export.xlsx': { allow: DISTRICT },
  // Issue 14, Open311 GeoReport v2: public, a client application authenticating by its api_key field (a key of source 'open311',
  // made on first use) and never by a session; a form without service_code answers 400 to everyone, whatever session rides along.
  'GET /open311/v2/discovery.:format': { allow: everyone(), fresh: async () => '/open311/v2/discovery.json' },
  'GET /open311/v2/services.:format': { allow: everyone(), fresh: async () => '/open311/v2/services.xml' },
  'GET /open311/v2/services/:service_code.:format': { allow: everyone(), fresh: async () => '/open311/v2/services/hazard.json' },
  'POST /open311/v2/requests.:format': { allow: everyone(), contentType: 'application/x-www-form-urlencoded', body: `api_key=${MATRIX_OPEN311}&matrix=invalid`, fresh: async () => (await matrixOpen311Key(), '/open311/v2/requests.json') },
  'GET /open311/v2/requests.:format': { allow: everyone(), fresh: async () => (await matrixOpen311Key(), `/open311/v2/requests.xml?api_key=${MATRIX_OPEN311}`) },
  'GET /open311/v2/requests/:service_request_id.:format': { allow: everyone(), fresh: async (f) => `/open311/v2/requests/${await matrixOpen311Request(f)}.json?api_key=${MATRIX_OPEN311}` },
  // Issue 14: the residents' map (/m) has no session: town outlines for everyone.
  'GET /api/v1/citizen/areas': { allow: everyone() },
  // Issue 14, the citizens' channel (A): public for residents (a request's code is its only key; made on first use at the first
  // station); the contact read for the station's leaders and the district (otherChief: 404 by scope), audited; publishing by manageStation.
  'POST /api/v1/citizen/requests': { allow: everyone() },
  'POST /api/v1/citizen/photos': { allow: everyone() },
  'GET /api/v1/citizen/requests/:code': { allow: everyone(), fresh: async (f) => `/api/v1/citizen/requests/${await matrixCitizenCode(f)}` },
  'POST /api/v1/citizen/lookup': { allow: everyone() },
  'POST /api/v1/citizen/requests/:code/rating': { allow: everyone(), fresh: async (f) => `/api/v1/citizen/requests/${await matrixCitizenCode(f)}/rating` },
  'GET /api/v1/citizen/services': { allow: everyone() },
  'GET /api/v1/citizen/published': { allow: everyone() },
  'POST /api/v1/events/:id/contact': { allow: [...LEADERS, 'districtLeader', 'districtOperator'], scoped: () => ({}) },
  'PUT /api/v1/stations/:id/publishing': { allow: MANAGERS.filter((p) => p !== 'otherChief'), scoped: () => ({ publishClosedReports: false }) },
  // Issue 15 point 5, rewards (S14): the points table for every session; one's own ledger; the volunteer's ledger for them, their
  // station's leaders and PERMISSIONS.managePoints of the district (not the district leader); a resident's by code likewise; the
  // leaderboard for whoever works at the station and the district; marking false and redemptions by managePoints within scope.
  'GET /api/v1/points/rules': { allow: SESSIONS },
  'GET /api/v1/points/mine': { allow: SESSIONS },
  'GET /api/v1/points/people/:id': { allow: ['admin', 'districtOperator', ...LEADERS, 'volunteer'], fresh: async (f) => `/api/v1/points/people/${f.person}` },
  'GET /api/v1/points/citizens/:code': { allow: ['admin', 'districtOperator', ...LEADERS], fresh: async (f) => `/api/v1/points/citizens/${await matrixCitizenCode(f)}` },
  'GET /api/v1/points/leaderboard': { allow: [...except([...ACCOUNTS], 'otherChief'), ...WALLS], query: (f) => `?stationId=${f.station}` },
  'POST /api/v1/points/false-reports': { allow: ['admin', 'districtOperator', ...LEADERS], scoped: (f) => ({ eventId: f.event, reason: '越权', requestKey: key() }) },
  'POST /api/v1/points/redemptions': { allow: ['admin', 'districtOperator', ...LEADERS], scoped: (f) => ({ personId: f.person, item: '越权', points: 1, requestKey: key() }) },
  // Issue 15 point 2, scores (S13, S14): read by the district and the first station's leaders (otherChief: 404 by scope on our station
  // and our score); one's own for every staff account; stars for the readers and the walls; adjusting, scoring now and the
  // 越级信访 / 群体性事件 flags by the district (adjustScores, flagEvents).
  'GET /api/v1/assessment/scores': { allow: [...DISTRICT, ...LEADERS], query: (f) => `?period=2090-01&stationId=${f.station}` },
  'GET /api/v1/assessment/scores/mine': { allow: [...ACCOUNTS] },
  'GET /api/v1/assessment/scores/:id': { allow: [...DISTRICT, ...LEADERS], fresh: async (f) => `/api/v1/assessment/scores/${await matrixScore(f)}` },
  'GET /api/v1/assessment/stars': { allow: [...DISTRICT, ...LEADERS, 'otherChief', ...WALLS] },
  'POST /api/v1/assessment/adjustments': { allow: ['admin', 'districtOperator'] },
  'POST /api/v1/assessment/compute': { allow: ['admin', 'districtOperator'] },
  'POST /api/v1/events/:id/flags': { allow: ['admin', 'districtLeader', 'districtOperator'] },
  // The drawer's 考评 section (issue 15, S13/S14): the station's leaders for their station's event, the district for any.
  'GET /api/v1/points/events/:id': { allow: [...LEADERS, ...DISTRICT], fresh: async (f) => `/api/v1/points/events/${f.event}` },
  // Issue 15 point 6, the report (generateReports): the district any scope, a station's leaders their own (otherChief: 404 on the first station's).
  'GET /api/v1/reports': { allow: [...DISTRICT, ...LEADERS, 'otherChief'] },
  'POST /api/v1/reports/:period/generate': { allow: [...DISTRICT, ...LEADERS], scoped: (f) => ({ scope: `s:${f.station}`, requestKey: key() }), fresh: async () => '/api/v1/reports/2001-01/generate' },
  'GET /api/v1/reports/:period.xlsx': { allow: [...DISTRICT, ...LEADERS], fresh: async (f) => `/api/v1/reports/2001-01.xlsx?scope=s:${f.station}` },
  'GET /api/v1/reports/:period.json': { allow: [...DISTRICT, ...LEADERS], fresh: async (f) => `/api/v1/reports/2001-01.json?scope=s:${f.station}` },
};

/** A score of the first station (issue 15), in a far period of its own, made on first use: its id. */
let score: Promise<number> | undefined;
const matrixScore = (f: Fixtures) =>
  (score ??= ts.app.db.query<{ id: number }>(
    `INSERT INTO assessment_scores (period, period_kind, subject_kind, subject_key, station_id, rule_set_id, figures, items, earned, deducted, computed_total)
     SELECT '2090-01', 'month', 'station', 's:' || $1::int, $1::int, min(id), '{}', '[]', 0, 0, 0 FROM assessment_rule_sets
     ON CONFLICT (period, subject_key) DO UPDATE SET computed_at = now() RETURNING id::int`,
    [f.station],
  ).then((r) => r.rows[0].id));

/** The matrix's Open311 client application (its key is MATRIX_OPEN311), and one request it filed at the first station (made on first use). */
let open311Key: Promise<unknown> | undefined;
const matrixOpen311Key = () =>
  (open311Key ??= ts.app.db.query(`INSERT INTO api_keys (source, name, key_hash) VALUES ('open311', '矩阵测试应用', $1)`, [hashToken(MATRIX_OPEN311)]));
let open311Request: Promise<string> | undefined;
function matrixOpen311Request(f: Fixtures): Promise<string> {
  open311Request ??= matrixOpen311Key().then(async () => {
    const at = (await ts.app.db.query<{ lon: number; lat: number }>(`SELECT ST_X(location) AS lon, ST_Y(location) AS lat FROM stations WHERE id = $1`, [f.station])).rows[0];
    const res = await fetch(`${ts.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: MATRIX_OPEN311, service_code: 'environment', lat: String(at.lat), long: String(at.lon), description: '访问矩阵测试：路边垃圾' }).toString(),
    });
    return ((await res.json()) as { service_request_id: string }[])[0].service_request_id;
  });
  return open311Request;
}

/** One resident's request at the first station (issue 14), made on first use: its tracking code. */
let citizenCode: Promise<string> | undefined;
function matrixCitizenCode(f: Fixtures): Promise<string> {
  citizenCode ??= ts.app.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE g.level = 'grid' AND sv.station_id = $1 ORDER BY g.code LIMIT 1) x`,
    [f.station],
  ).then(async ({ rows }) => {
    const res = await fetch(`${ts.url}/api/v1/citizen/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, kind: 'question', idempotencyKey: key(), deviceId: `matrix-device-${randomUUID()}`, description: `矩阵测试咨询 ${randomUUID()}`, location: rows[0] }),
    });
    return ((await res.json()) as { code: string }).code;
  });
  return citizenCode;
}

/** One warning of the first station, made on first use; out of every active list (cleared_at set), removed after the test. */
let warningMade: Promise<number> | undefined;
function matrixWarning(f: Fixtures): Promise<number> {
  warningMade ??= ts.app.db.query<{ id: number }>(
    `INSERT INTO warnings (kind, subject, level, title, explanation, station_id, location, cleared_at)
     SELECT 'surge', 'matrix:' || $2, 'yellow', '矩阵测试预警', '矩阵测试', $1, location, now() FROM stations WHERE id = $1 RETURNING id`,
    [f.station, randomUUID()],
  ).then((r) => r.rows[0].id);
  return warningMade;
}

/** A mediation case of the first station with its studio and a mediator who is the `mediator` account's person; made on first use. */
/** A review of the first station (for a year long past, so no test's year meets it) with one open task, and an accountability record naming the gridder; made on first use. */
let reviewMade: Promise<{ review: number; task: number; record: number }> | undefined;
function matrixReview(f: Fixtures): Promise<{ review: number; task: number; record: number }> {
  reviewMade ??= (async () => {
    const db = ts.app.db;
    const review = (await db.query<{ id: number }>(
      `INSERT INTO station_reviews (station_id, year, items) VALUES ($1, 2001, '[]') ON CONFLICT (station_id, year) DO UPDATE SET items = EXCLUDED.items RETURNING id::int`,
      [f.station],
    )).rows[0].id;
    const task = (await db.query<{ id: number }>(
      `INSERT INTO review_tasks (review_id, station_id, item_code, title, due_on) VALUES ($1, $2, 'built.site', '矩阵测试整改', '2001-12-31')
       ON CONFLICT (review_id, item_code) DO UPDATE SET state = 'open', done_at = NULL RETURNING id::int`,
      [review, f.station],
    )).rows[0].id;
    const record = (await db.query<{ id: number }>(
      `INSERT INTO accountability_records (kind, station_id, source, title, detail, decided_on, request_key) VALUES ('notice', $1, 'manual', '矩阵测试', '矩阵测试', '2001-06-01', $2) RETURNING id::int`,
      [f.station, key()],
    )).rows[0].id;
    await db.query(`INSERT INTO accountability_people (record_id, person_id) SELECT $1, person_id FROM accounts WHERE username = 'gridder'`, [record]);
    return { review, task, record };
  })();
  return reviewMade;
}

let caseMade: Promise<{ case: number; studio: number; mediator: number }> | undefined;
function matrixCase(f: Fixtures): Promise<{ case: number; studio: number; mediator: number }> {
  caseMade ??= (async () => {
    const db = ts.app.db;
    const tag = randomUUID().slice(0, 8);
    const studio = (await db.query<{ id: number }>(`INSERT INTO mediation_studios (station_id, name) VALUES ($1, $2) RETURNING id`, [f.station, `矩阵工作室-${tag}`])).rows[0].id;
    const mediator = (await db.query<{ id: number }>(
      `INSERT INTO mediators (station_id, studio_id, person_id, name, kind) SELECT $1, $2, person_id, $3, 'people' FROM accounts WHERE username = 'mediator' RETURNING id`,
      [f.station, studio, `矩阵调解员-${tag}`],
    )).rows[0].id;
    const id = (await db.query<{ id: number }>(
      `INSERT INTO mediation_cases (station_id, studio_id, mediator_id, dispute_kind, parties, summary, due_at, idempotency_key)
       VALUES ($1, $2, $3, 'neighbour', '[{"name":"矩阵甲","side":"applicant"},{"name":"矩阵乙","side":"respondent"}]', '矩阵测试纠纷', now() + interval '30 days', $4) RETURNING id::int`,
      [f.station, studio, mediator, `matrix-${tag}`],
    )).rows[0].id;
    return { case: id, studio, mediator };
  })();
  return caseMade;
}

/** Socket events by namespace: who may connect, and who gets a non-error answer to the event. */
const SOCKETS: Record<string, { connect: Principal[]; events: Record<string, Principal[]> }> = {
  '/live': { connect: SESSIONS, events: { snapshot: SESSIONS } },
  '/field': { connect: [...ACCOUNTS], events: { pos: [...ACCOUNTS] } },
};

const auth = new Map<Principal, Record<string, string>>();
let fx: Fixtures;
let displayToken = '';

async function account(username: string, role: string, stationId: number | null, personId: number | null): Promise<void> {
  await ts.app.db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id) VALUES ($1, $2, $3, $1, $4, $5)
     ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role, station_id = EXCLUDED.station_id, person_id = EXCLUDED.person_id, disabled = false`,
    [username, await hashPassword('matrix-password'), role, stationId, personId],
  );
}

async function cookieOf(path: string): Promise<string> {
  const res = await fetch(`${ts.url}${path}`, { redirect: 'manual' });
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

beforeAll(async () => {
  const db = ts.app.db;
  const station = (await db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  const other = (await db.query<{ id: number; person: number }>(
    `SELECT r.station_id AS id, r.person_id AS person FROM person_roles r WHERE r.role = 'station_chief' AND r.station_id <> $1 ORDER BY r.station_id LIMIT 1`,
    [station],
  )).rows[0];
  const cadre = (await db.query<{ id: number }>(`INSERT INTO people (name, station_id) VALUES ('村干部甲', $1) RETURNING id`, [station])).rows[0].id;
  await db.query(`INSERT INTO person_roles (person_id, role, station_id) VALUES ($1, 'village_cadre', $2)`, [cadre, station]);
  await Promise.all([
    account('m-district-leader', 'district_leader', null, null),
    account('m-district-operator', 'district_operator', null, null),
    account('m-village-cadre', 'village_cadre', station, cadre),
    account('m-other-chief', 'station_chief', other.id, other.person),
  ]);
  // The stack starts with no basemap (the default); given a PMTiles file, its route answers sessions 200, not 404.
  mkdirSync(path.join(ts.app.config.dataDir, 'basemap'), { recursive: true });
  writeFileSync(path.join(ts.app.config.dataDir, 'basemap', 'matrix.pmtiles'), rasterFixture());
  ts.app.config.basemap = { kind: 'pmtiles', file: 'matrix.pmtiles', datum: 'wgs84', attribution: '矩阵测试' };
  displayToken = `matrix-wall-${randomUUID()}`;
  await db.query(`INSERT INTO displays (name, station_id, token_hash) VALUES ('矩阵测试大屏', $1, $2)`, [station, hashToken(displayToken)]);

  const names: Record<(typeof EXTRA_ACCOUNTS)[number], string> = {
    districtLeader: 'm-district-leader', districtOperator: 'm-district-operator', villageCadre: 'm-village-cadre', otherChief: 'm-other-chief',
  };
  const cookies = await Promise.all([
    ...STATION_ACCOUNTS.map((u) => login(ts.url, u)),
    ...EXTRA_ACCOUNTS.map((p) => login(ts.url, names[p], 'matrix-password')),
  ]);
  ACCOUNTS.forEach((p, i) => auth.set(p, { cookie: cookies[i] }));
  auth.set('anon', {});
  auth.set('wall', { cookie: await cookieOf(`/wall?display=${ts.app.config.displayToken}`) });
  auth.set('stationWall', { cookie: await cookieOf(`/wall?display=${displayToken}`) });
  auth.set('device', { authorization: 'Bearer demo-device-token' });
  auth.set('apiKey', { authorization: 'Bearer demo-key-hotline_12345' });

  // The fixtures: an event the gridder reports with a photo, a consultation on it, a person, an account, a unit.
  const grid = (await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE g.level = 'grid' AND sv.station_id = $1 ORDER BY g.code LIMIT 1) x`,
    [station],
  )).rows[0];
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])), chunk('raNd', Buffer.from(randomUUID())), chunk('IEND', Buffer.alloc(0))]);
  const photo = await (await fetch(`${ts.url}/api/v1/photos`, { method: 'POST', headers: { ...auth.get('gridder'), 'content-type': 'image/png' }, body: png })).json();
  const event = await (await fetch(`${ts.url}/api/v1/events`, {
    method: 'POST',
    headers: { ...auth.get('gridder'), 'content-type': 'application/json' },
    body: JSON.stringify({ v: 1, idempotencyKey: randomUUID(), category: 'environment', title: '矩阵测试', location: grid, photos: [photo.id] }),
  })).json();
  const consultation = await (await fetch(`${ts.url}/api/v1/consultations`, {
    method: 'POST',
    headers: { ...auth.get('deputy'), 'content-type': 'application/json' },
    body: JSON.stringify({ eventIds: [event.id], requestKey: key() }),
  })).json();
  const person = (await db.query<{ id: number }>(`SELECT p.id FROM people p JOIN accounts a ON a.person_id = p.id WHERE a.username = 'volunteer'`)).rows[0].id;
  const acc = (await db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = 'volunteer'`)).rows[0].id;
  const unit = (await db.query<{ id: number }>(`SELECT id FROM units WHERE station_id = $1 AND status = 'available' AND NOT is_team ORDER BY id LIMIT 1`, [station])).rows[0].id;
  fx = { station, event: event.id, photo: photo.id, consultation: consultation.id, person, account: acc, unit };
  expect(fx.event).toBeGreaterThan(0);
  expect(fx.consultation).toBeGreaterThan(0);
}, 120_000);

// An open consultation rings on every invited phone: the e2e specs that share this database must not find one.
afterAll(async () => {
  if (warningMade) await ts.app.db.query(`DELETE FROM warnings WHERE id = $1`, [await warningMade]);
  if (reviewMade) {
    const made = await reviewMade;
    await ts.app.db.query(`DELETE FROM accountability_people WHERE record_id = $1`, [made.record]);
    await ts.app.db.query(`DELETE FROM accountability_records WHERE id = $1`, [made.record]);
    await ts.app.db.query(`DELETE FROM review_tasks WHERE review_id = $1`, [made.review]);
    await ts.app.db.query(`DELETE FROM station_reviews WHERE id = $1`, [made.review]);
  }
  if (caseMade) {
    const made = await caseMade;
    await ts.app.db.query(`DELETE FROM mediation_sessions WHERE case_id = $1`, [made.case]);
    await ts.app.db.query(`DELETE FROM mediation_cases WHERE id = $1`, [made.case]);
    await ts.app.db.query(`DELETE FROM mediators WHERE id = $1`, [made.mediator]);
    await ts.app.db.query(`DELETE FROM mediation_studios WHERE id = $1`, [made.studio]);
  }
  if (!fx) return;
  await fetch(`${ts.url}/api/v1/consultations/${fx.consultation}/close`, {
    method: 'POST',
    headers: { ...auth.get('deputy'), 'content-type': 'application/json' },
    body: JSON.stringify({ summary: '访问矩阵测试结束', requestKey: key() }),
  });
});

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}

/** A concrete path for a route: its parameters point at the first station's fixtures. */
function pathOf(route: string, f: Fixtures): string {
  const ids: Record<string, string> = {
    '/api/v1/events/': String(f.event), '/api/v1/photos/': f.photo, '/api/v1/consultations/': String(f.consultation),
    '/api/v1/stations/': String(f.station), '/api/v1/people/': String(f.person), '/api/v1/accounts/': String(f.account),
  };
  return route.replace(/:(\w+)/g, (_m, name: string, offset: number) => {
    const prefix = Object.keys(ids).find((p) => route.slice(0, offset) === p);
    if (prefix) return ids[prefix];
    return ({ code: 'police', task: '1', rid: '1', day: '2027-01-01', id: '1' } as Record<string, string>)[name] ?? '1';
  });
}

const denied = (status: number) => status === 401 || status === 403 || status === 404;

describe('access matrix (issue 10): every route × every caller', () => {
  it('every registered route has a row, and every row a route', () => {
    const routes = buildRouter(ts.app).list().map((r) => `${r.method} ${r.path}`);
    expect(routes.filter((r) => !(r in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('answers every caller as the table says', async () => {
    const unexpected: string[] = [];
    for (const [route, row] of Object.entries(TABLE)) {
      const [method, template] = route.split(' ');
      for (const who of row.only ?? PRINCIPALS) {
        const path = row.fresh ? await row.fresh(fx) : pathOf(template, fx) + (row.query?.(fx) ?? '');
        const scoped = who === 'otherChief' && row.scoped;
        const body = scoped ? row.scoped!(fx) : 'body' in row ? row.body : INVALID;
        const res = await fetch(`${ts.url}${path}`, {
          method,
          redirect: 'manual',
          headers: { ...auth.get(who), ...(method === 'GET' || body === undefined ? {} : { 'content-type': scoped ? 'application/json' : row.contentType ?? 'application/json' }) },
          body: method === 'GET' || body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        });
        await res.arrayBuffer();
        const expectAllow = row.allow.includes(who) && !scoped;
        // A server error is never an expected answer, allowed or not.
        if (expectAllow === denied(res.status) || res.status >= 500) unexpected.push(`${route} as ${who}: ${res.status}, expected ${expectAllow ? 'allowed' : 'denied'}`);
      }
    }
    expect(unexpected).toEqual([]);
  }, 180_000);
});

describe('access matrix (issue 10): every socket namespace and event × every caller', () => {
  it('every handler has a row', () => {
    const handlers = socketHandlers(ts.app, ts.app.live!);
    expect(Object.fromEntries(Object.entries(handlers).map(([ns, h]) => [ns, Object.keys(h).sort()]))).toEqual(
      Object.fromEntries(Object.entries(SOCKETS).map(([ns, s]) => [ns, Object.keys(s.events).sort()])),
    );
  });

  it('connects and answers as the table says; a station’s snapshot holds only its units', async () => {
    const unexpected: string[] = [];
    const stationUnits = new Set((await ts.app.db.query<{ id: number }>(`SELECT id FROM units WHERE station_id = $1`, [fx.station])).rows.map((r) => r.id));
    // One fix of a unit of the first station and one of another, so every snapshot has something to scope.
    const { rows: two } = await ts.app.db.query<{ code: string; lon: number; lat: number }>(
      `(SELECT code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat FROM units WHERE station_id = $1 ORDER BY id LIMIT 1)
       UNION ALL (SELECT code, ST_X(last_position), ST_Y(last_position) FROM units
                   WHERE station_id = (SELECT station_id FROM accounts WHERE username = 'm-other-chief') ORDER BY id LIMIT 1)`,
      [fx.station],
    );
    const posted = await fetch(`${ts.url}/api/v1/positions`, {
      method: 'POST',
      headers: { ...auth.get('device'), 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, positions: two.map((u) => ({ unit: u.code, t: Date.now(), lon: u.lon, lat: u.lat })) }),
    });
    expect(await posted.json()).toMatchObject({ accepted: 2 });
    for (const [ns, row] of Object.entries(SOCKETS)) {
      for (const who of PRINCIPALS) {
        const h = auth.get(who)!;
        const socket: Socket = connect(`${ts.url}${ns}`, { transports: ['websocket'], extraHeaders: h, reconnection: false, forceNew: true });
        const ok = await new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          socket.once('connect_error', () => resolve(false));
        });
        if (ok !== row.connect.includes(who)) unexpected.push(`${ns} connect as ${who}: ${ok ? 'connected' : 'refused'}`);
        if (ok) {
          for (const [event, allowed] of Object.entries(row.events)) {
            const reply = await socket.timeout(5000).emitWithAck(event, ...(event === 'pos' ? [[]] : [])).catch(() => ({ error: 'timeout' }));
            const answered = reply && !('error' in reply);
            if (answered !== allowed.includes(who)) unexpected.push(`${ns} ${event} as ${who}: ${JSON.stringify(reply).slice(0, 80)}`);
            if (event === 'snapshot' && answered) {
              const ids: number[] = [];
              readTick(new Uint8Array(reply.positions)).forEach((id) => ids.push(id));
              const own = ids.filter((id) => stationUnits.has(id)).length;
              const foreign = ids.length - own;
              // District screens see all; the first station's staff and wall only theirs; the other chief none of theirs; volunteers nothing.
              if (['wall', ...DISTRICT].includes(who) ? foreign === 0 || own === 0
                : ['stationWall', ...STATION_STAFF].includes(who) ? foreign > 0 || own === 0
                  : who === 'otherChief' ? own > 0 || foreign === 0 : ids.length > 0)
                unexpected.push(`${ns} snapshot as ${who}: ${own} own-station and ${foreign} other units`);
            }
          }
        }
        socket.close();
      }
    }
    expect(unexpected).toEqual([]);
  }, 120_000);
});
