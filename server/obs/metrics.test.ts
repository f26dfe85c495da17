import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { repeat } from '../jobs/repeat';
import { login, withTestServer } from '../test/server';
import { counter, gauge, registry, watchSockets } from './metrics';

const ts = withTestServer(`metrics:${process.pid}:`);
const TOKEN = 'metrics-test-token-0123456789abcdef';
const sockets: Socket[] = [];

afterAll(() => {
  for (const s of sockets) s.close();
});

const scrape = (headers: Record<string, string> = {}) => fetch(`${ts.url}/metrics`, { headers });

/** One sample's value from the exposition text (`name{labels}` exactly as written), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function adminText(): Promise<string> {
  const res = await scrape({ cookie: await login(ts.url, 'admin') });
  expect(res.status).toBe(200);
  return res.text();
}

describe('/metrics (issue 11): who may read it', () => {
  it('refuses anonymous callers and roles other than administrator', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape({ cookie: await login(ts.url, 'deputy') })).status).toBe(403);
    // A device's bearer token is no metrics token.
    expect((await scrape({ authorization: 'Bearer demo-device-token' })).status).toBe(401);
  });

  it('takes no bearer token at all while METRICS_TOKEN is unset', async () => {
    ts.app.config.metricsToken = undefined;
    expect((await scrape({ authorization: `Bearer ${TOKEN}` })).status).toBe(401);
  });

  it('lets a scraper with METRICS_TOKEN read the Prometheus text format, and no other token', async () => {
    ts.app.config.metricsToken = TOKEN;
    try {
      const res = await scrape({ authorization: `Bearer ${TOKEN}` });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).toMatch(/^# HELP liandong_positions_accepted_total /m);
      expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
      expect((await scrape({ authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status).toBe(401);
    } finally {
      ts.app.config.metricsToken = undefined;
    }
  });

  it('is read by an administrator’s session', async () => {
    expect(await adminText()).toMatch(/^# TYPE liandong_positions_rejected_total counter$/m);
  });
});

describe('/metrics (issue 11): what it counts', () => {
  it('counts positions in and refused by reason, history rows, ticks, the pool, sockets, jobs and the event loop', async () => {
    const before = await adminText();
    const accepted0 = sample(before, 'liandong_positions_accepted_total') ?? 0;
    const unknown0 = sample(before, 'liandong_positions_rejected_total{reason="unknown_unit"}') ?? 0;

    const unwatch = watchSockets(ts.stack.io.io);
    const socket = connect(`${ts.url}/live`, { transports: ['websocket'], extraHeaders: { cookie: await login(ts.url, 'admin') }, reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));

    const { rows: units } = await ts.app.db.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat FROM units WHERE last_position IS NOT NULL ORDER BY id LIMIT 2`,
    );
    const t = Date.now();
    const posted = await fetch(`${ts.url}/api/v1/positions`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-device-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        v: 1,
        positions: [...units.map((u) => ({ unit: u.code, t, lon: u.lon + 0.00005, lat: u.lat })), { unit: 'NO-SUCH-UNIT', t, lon: units[0].lon, lat: units[0].lat }],
      }),
    });
    expect(await posted.json()).toMatchObject({ accepted: 2 });

    const job = repeat('metrics-test', 60_000, async () => {
      throw new Error('planned failure');
    });
    await job.stop();

    // History flushes once a second and ticks go out every 250 ms.
    let text = '';
    await expect
      .poll(async () => {
        text = await adminText();
        return (sample(text, 'liandong_history_rows_written_total') ?? 0) >= 2 && (sample(text, 'liandong_fanout_tick_units_count') ?? 0) >= 1;
      }, { timeout: 10_000 })
      .toBe(true);
    unwatch();

    expect(sample(text, 'liandong_positions_accepted_total')).toBe(accepted0 + 2);
    expect(sample(text, 'liandong_positions_rejected_total{reason="unknown_unit"}')).toBe(unknown0 + 1);
    expect(sample(text, 'liandong_positions_rejected_total{reason="too_old"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'liandong_fanout_positions_in_total')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'liandong_fanout_tick_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'liandong_fanout_tick_delay_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'liandong_history_flush_failures_total')).toBe(0);
    expect(sample(text, 'liandong_history_rows_set_aside_total')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'liandong_db_pool_clients{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'liandong_db_pool_clients{state="idle"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'liandong_db_pool_waiting')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'liandong_sockets{namespace="/live"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'liandong_sockets{namespace="/field"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'liandong_job_runs_total{job="metrics-test"}')).toBe(1);
    expect(sample(text, 'liandong_job_failures_total{job="metrics-test"}')).toBe(1);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
  });
});

describe('registration API for other components (outbox depth, Redis reconnects)', () => {
  it('sums the sources of one gauge, leaves out one that fails, and drops the series with its last source', async () => {
    const one = gauge('liandong_test_depth', 'A test gauge.', () => 2);
    const two = gauge('liandong_test_depth', 'A test gauge.', async () => 3);
    const broken = gauge('liandong_test_depth', 'A test gauge.', () => {
      throw new Error('source down');
    });
    expect(sample(await registry.metrics(), 'liandong_test_depth')).toBe(5);
    expect(() => gauge('liandong_test_depth', 'Another help text.', () => 1)).toThrow(/help/);
    broken();
    two();
    expect(sample(await registry.metrics(), 'liandong_test_depth')).toBe(2);
    one();
    expect(sample(await registry.metrics(), 'liandong_test_depth')).toBeUndefined();
  });

  it('hands out one counter per name, so each client may ask for it', async () => {
    counter('liandong_test_reconnects_total', 'A test counter.', ['client']).inc({ client: 'bus' });
    counter('liandong_test_reconnects_total', 'A test counter.', ['client']).inc({ client: 'bus' });
    expect(sample(await registry.metrics(), 'liandong_test_reconnects_total{client="bus"}')).toBe(2);
    registry.removeSingleMetric('liandong_test_reconnects_total');
  });
});
