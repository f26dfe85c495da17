import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketHandlers } from '../live/sockets';
import { login, withTestServer } from '../test/server';
import { buildRouter } from './server';
import { DEMO_DEVICE_TOKEN } from '../config';
import { startStack } from '../test/stack';
import { TEST_DATABASE_URL } from '../test/env';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { seedDemo } from '../seed/demo';
import pg from 'pg';
import { runFuzz, type FuzzCallers } from './fuzz';

const ts = withTestServer(`fuzz:${process.pid}:`);
const LONG = Number(process.env.FUZZ_RUNS) || 0;
const RUNS = LONG > 0 ? LONG : 10;
const SEED = Number(process.env.FUZZ_SEED) || undefined;

const callersOn = async (url: string): Promise<FuzzCallers> => ({
  admin: { cookie: await login(url, 'admin') },
  leader: { cookie: await login(url, 'deputy') },
  field: { cookie: await login(url, 'gridder') },
  device: { authorization: `Bearer ${DEMO_DEVICE_TOKEN}` },
  apiKey: { authorization: 'Bearer demo-key-hotline_12345' },
});
const socketsOf = (app: typeof ts.app) =>
  Object.fromEntries(Object.entries(socketHandlers(app, app.live!)).map(([ns, h]) => [ns, Object.keys(h)]));

/**
 * The tables a route could write, as text: the run must leave every one as it found it. Columns a
 * mere lookup touches (a key's last use) and what the live feed moves (a unit's position) are left out.
 */
const WATCHED: Record<string, string> = {
  categories: '*', time_limits: '*', joint_rules: '*', holidays: '*', stations: '*', station_villages: '*', station_departments: '*',
  department_rotations: '*', duty_roster: '*', people: '*', person_roles: '*', places: '*', key_periods: '*', inspections: '*',
  accounts: 'id, username, password_hash, role, person_id, station_id, disabled', units: 'id, code, name, kind, is_team, department_id, station_id, person_id, grid_code, mobility',
  device_tokens: 'id, name, unit_id, station_id, revoked_at', displays: 'id, name, station_id, revoked_at', api_keys: 'id, source, name, revoked_at',
  events: 'id, state, version, locked_by', notifications: 'id, read_at', dispatches: 'id, state', consultations: 'id, state',
};
async function tables(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [t, cols] of Object.entries(WATCHED)) {
    const { rows } = await ts.app.db.query<{ h: string }>(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM (SELECT ${cols} FROM ${t}) x`);
    out[t] = rows[0].h;
  }
  return out;
}

describe('fuzz every route and socket handler (issue 11)', () => {
  let callers: FuzzCallers;
  let before: Record<string, string>;

  beforeAll(async () => {
    callers = await callersOn(ts.url);
    before = await tables();
  });

  afterAll(async () => {
    if (!before) return;
    // A failure here names the table a fuzzed request changed: the invalid-only rule has a hole.
    expect(await tables()).toEqual(before);
  });

  it(
    `gets no 5xx and drops no connection (${RUNS} runs per route and socket)`,
    async () => {
      const report = await runFuzz(
        { url: ts.url, callers, routes: buildRouter(ts.app).list(), sockets: socketsOf(ts.app) },
        { runs: RUNS, seed: SEED, shrink: LONG > 0, log: (l) => console.log(l) },
      );
      console.log(`fuzz statuses: ${JSON.stringify(report.statuses)}`);
      expect(report.operations).toBe(buildRouter(ts.app).list().length);
      expect(report.failures).toEqual([]);
      expect(report.healthy).toBe(true);
      // The sessions the run used are still good: nothing it sent signed anyone out.
      for (const c of [callers.admin, callers.leader]) expect((await fetch(`${ts.url}/api/v1/auth/me`, { headers: c })).status).toBe(200);
    },
    LONG > 0 ? 3_600_000 : 60_000,
  );
});

/*
 * Bodies the schemas accept reach the handlers and the database, where the invalid-only round
 * cannot go; they change data, so they go to a database made for the run and dropped after it.
 * FUZZ_SANDBOX=0 leaves it out.
 */
if (process.env.FUZZ_SANDBOX !== '0') {
  describe('fuzz with bodies the schemas accept, on a database of its own (issue 11)', () => {
    const base = new URL(TEST_DATABASE_URL);
    const name = `${decodeURIComponent(base.pathname.slice(1))}_fuzz_${process.pid}`;
    const at = (db: string) => Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${encodeURIComponent(db)}` }).toString();
    const maintenance = async (sql: string) => {
      const c = new pg.Client({ connectionString: at('postgres') });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    const quoted = `"${name.replaceAll('"', '""')}"`;
    let sandbox: Awaited<ReturnType<typeof startStack>> | undefined;

    beforeAll(async () => {
      await maintenance(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
      await maintenance(`CREATE DATABASE ${quoted}`);
      const db = createPool(at(name), 2);
      try {
        await migrate(db);
        await seedDemo(db);
      } finally {
        await db.end();
      }
      sandbox = await startStack(`fuzz-sandbox:${process.pid}:`, 0, at(name));
    }, 300_000);

    afterAll(async () => {
      await sandbox?.close();
      await maintenance(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    });

    it(
      'gets no 5xx and drops no connection',
      async () => {
        const s = sandbox!;
        const report = await runFuzz(
          { url: s.url, callers: await callersOn(s.url), routes: buildRouter(s.app).list(), sockets: socketsOf(s.app) },
          { runs: RUNS, seed: SEED, shrink: LONG > 0, mutate: true, log: (l) => console.log(l) },
        );
        console.log(`fuzz (valid bodies) statuses: ${JSON.stringify(report.statuses)}`);
        expect(report.failures).toEqual([]);
        expect(report.healthy).toBe(true);
      },
      LONG > 0 ? 3_600_000 : 60_000,
    );
  });
}
