// `npm run bench:command` — issue 5's speed: "the gridder's invitation arrives within 1 s" of the
// deputy chief's click, with every phone of the station connected. A benchmark, not a test: it
// measures and prints, it asserts nothing.
//
//   this process: the deputy's clicks, N phones on /field (push), the same N phones polling ──▶ ONE server process ──▶ PostgreSQL + Redis
//
// Each round reports an incident in the next grid of station 1, calls an emergency consultation on
// it and times, for every invited phone, click → invitation: by push (our design: commit, Redis,
// Socket.IO to the account's room) and, side by side on the same consultations, by polling
// GET /api/v1/command/mine every BENCH_POLL_MS (the design without a live line). Then rounds of
// concurrent one-click dispatches (two leaders, several clicks each) count the dispatches made.
// Env: BENCH_PRESET=quick, BENCH_ROUNDS, BENCH_POLL_MS, BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_PORT.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { connect, type Socket } from 'socket.io-client';
import { hashPassword } from '../server/auth/password';
import { createPool } from '../server/db/pool';
import { login } from '../server/test/login';
import { prepareAppServer, startAppServer } from './app-server';
import { runBench } from './children';
import { createBenchDatabase, dropBenchDatabase } from './database';
import { LatencyHistogram } from './histogram';
import { deleteKeys } from './redis-keys';

const quick = process.env.BENCH_PRESET === 'quick';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 10 : 40));
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 5000);
const DISPATCH_ROUNDS = quick ? 5 : 20;
const CLICKS = 8;
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liandong_bench_command';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 3460);
const BASE = `http://localhost:${PORT}`;
const PREFIX = `bench:${process.pid}:`;
const PASSWORD = 'bench-phone-1234';
const log = (line: string) => console.log(`[bench] ${line}`);

const sockets: Socket[] = [];
const timers: ReturnType<typeof setInterval>[] = [];
let databaseMade = false;

/** After runBench has stopped the server: the phones, the Redis keys and the database. */
async function cleanup(): Promise<void> {
  for (const t of timers) clearInterval(t);
  for (const s of sockets) s.close();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  await deleteKeys(redis, PREFIX).catch(() => 0);
  redis.disconnect();
  if (databaseMade) await dropBenchDatabase(DB_URL).catch((err: Error) => log(`dropping the bench database: ${err.message}`));
}

async function post(path: string, cookie: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const fmt = (h: LatencyHistogram) =>
  h.count ? `${h.quantile(0.5)} / ${h.quantile(0.95)} / ${h.quantile(0.99)} / ${Math.round(h.max)} ms` : '—';

async function main(): Promise<void> {
  // Before the database is made, and dropped: a taken port may be another run's.
  await prepareAppServer(PORT, 'BENCH_PORT');
  databaseMade = true;
  await createBenchDatabase(DB_URL, 0, log);
  // Every full-time gridder and member of department staff of station 1 gets a phone (an account).
  const db = createPool(DB_URL, 2);
  const hash = await hashPassword(PASSWORD);
  const { rows: phones } = await db.query<{ username: string }>(
    `INSERT INTO accounts (username, password_hash, role, person_id, station_id, display_name)
     SELECT 'bench-' || p.id, $1, r.role, p.id, r.station_id, p.name
       FROM person_roles r JOIN people p ON p.id = r.person_id
      WHERE r.station_id = 1 AND r.role IN ('gridder_full', 'dept_staff')
        AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
     RETURNING username`,
    [hash],
  );
  const { rows: grids } = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
       FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.level = 'grid' AND sv.station_id = 1 ORDER BY g.code`,
  );
  log(`${phones.length} phones for station 1 (its full-time gridders and department staff), ${grids.length} grids`);

  await startAppServer({ PORT: String(PORT), DATABASE_URL: DB_URL, REDIS_URL, BUS_PREFIX: PREFIX, SIMULATE: '0' });
  const deputy = await login(BASE, 'deputy');
  const chief = await login(BASE, 'chief');

  // Push: each phone's /field socket. Poll: each phone asks /command/mine every POLL_MS, phases spread.
  const push = new LatencyHistogram();
  const poll = new LatencyHistogram();
  const ack = new LatencyHistogram();
  const waiting = new Map<string, { t0: number; consultation: number; pushed: boolean; polled: boolean }>();
  // A push (or poll) may beat the click's own answer to this process: kept until the round registers.
  const early = { push: new Map<string, number>(), poll: new Map<string, number>() };
  const cookies = await Promise.all(phones.map((p) => login(BASE, p.username, PASSWORD)));
  await Promise.all(cookies.map((cookie, i) => new Promise<void>((resolve, reject) => {
    const s = connect(`${BASE}/field`, { transports: ['websocket'], extraHeaders: { cookie }, forceNew: true });
    sockets.push(s);
    s.on('command', (m: { type: string; consultation?: { id: number } }) => {
      if (!m.consultation) return;
      const key = `${i}:${m.consultation.id}`;
      const w = waiting.get(key);
      if (!w) {
        if (!early.push.has(key)) early.push.set(key, performance.now());
        return;
      }
      if (!w.pushed) {
        w.pushed = true;
        push.record(performance.now() - w.t0);
      }
    });
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  })));
  cookies.forEach((cookie, i) => {
    const ask = async () => {
      const res = await fetch(`${BASE}/api/v1/command/mine`, { headers: { cookie } }).catch(() => null);
      if (!res?.ok) return;
      const mine = (await res.json()) as { invitations: { id: number }[] };
      const at = performance.now();
      for (const c of mine.invitations) {
        const key = `${i}:${c.id}`;
        const w = waiting.get(key);
        if (!w) {
          if (!early.poll.has(key)) early.poll.set(key, at);
          continue;
        }
        if (!w.polled) {
          w.polled = true;
          poll.record(at - w.t0);
        }
      }
    };
    setTimeout(() => timers.push(setInterval(() => void ask(), POLL_MS)), Math.random() * POLL_MS);
  });
  log(`${sockets.length} phones connected by push and polling every ${POLL_MS} ms; ${ROUNDS} consultations …`);

  // Phones invited are ours among the invitees: account id → index of the phone.
  const { rows: accounts } = await db.query<{ id: number; username: string }>(`SELECT id, username FROM accounts WHERE username LIKE 'bench-%'`);
  const indexOf = new Map(accounts.map((a) => [a.id, phones.findIndex((p) => p.username === a.username)]));
  let invited = 0;
  for (let r = 0; r < ROUNDS; r += 1) {
    const g = grids[r % grids.length];
    const event = await post('/api/v1/events', '', { v: 1, idempotencyKey: `bench-${process.pid}-${r}`, category: 'dispute', title: `压测会商 ${r}`, location: g },
      { authorization: 'Bearer demo-key-hotline_12345' });
    const t0 = performance.now();
    const called = await post('/api/v1/consultations', deputy, { eventIds: [event.body.id], requestKey: `bench-c-${process.pid}-${r}` });
    ack.record(performance.now() - t0);
    const c = called.body.consultation as { id: number; invitees: { accountId: number | null }[] };
    for (const inv of c.invitees) {
      const i = inv.accountId === null ? -1 : indexOf.get(inv.accountId) ?? -1;
      if (i >= 0) {
        // Registered after the answer: a push faster than the answer is timed from the click all the same.
        const key = `${i}:${c.id}`;
        const w = { t0, consultation: c.id, pushed: early.push.has(key), polled: early.poll.has(key) };
        if (w.pushed) push.record(early.push.get(key)! - t0);
        if (w.polled) poll.record(early.poll.get(key)! - t0);
        waiting.set(key, w);
        invited += 1;
      }
    }
    // Long enough for every poller to have asked once; then the consultation closes.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + 1000));
    await post(`/api/v1/consultations/${c.id}/close`, deputy, { requestKey: `bench-x-${process.pid}-${r}` });
  }
  const lostPush = [...waiting.values()].filter((w) => !w.pushed).length;
  const lostPoll = [...waiting.values()].filter((w) => !w.polled).length;

  // Concurrent one-click dispatches: two leaders, CLICKS clicks between them, each its own request key.
  const dispatchAck = new LatencyHistogram();
  let single = 0;
  for (let r = 0; r < DISPATCH_ROUNDS; r += 1) {
    const g = grids[(r * 7) % grids.length];
    const event = await post('/api/v1/events', '', { v: 1, idempotencyKey: `bench-d-${process.pid}-${r}`, category: 'public_order', title: `压测派遣 ${r}`, location: g },
      { authorization: 'Bearer demo-key-hotline_12345' });
    const offer = await (await fetch(`${BASE}/api/v1/dispatches/proposal?event=${event.body.id}`, { headers: { cookie: deputy } })).json() as { forces: { candidates: { unitId: number }[] }[] };
    const unitId = offer.forces[0].candidates[0].unitId;
    const answers = await Promise.all(Array.from({ length: CLICKS }, async (_, k) => {
      const t = performance.now();
      const a = await post('/api/v1/dispatches', k % 2 ? chief : deputy, { eventId: event.body.id, unitIds: [unitId], requestKey: `bench-k-${process.pid}-${r}-${k}` });
      dispatchAck.record(performance.now() - t);
      return a.body.ids?.[0] as number | undefined;
    }));
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dispatches WHERE event_id = $1`, [event.body.id]);
    if (rows[0].n === 1 && new Set(answers).size === 1) single += 1;
    await post(`/api/v1/dispatches/${answers[0]}/steps`, deputy, { step: 'cancel', requestKey: `bench-z-${process.pid}-${r}` });
  }
  await db.end();

  console.log('');
  console.log(`issue 5 — one click to the phones of station 1 (${phones.length} phones, ${ROUNDS} emergency consultations, ${invited} invitations)`);
  console.log('                                         p50 / p95 / p99 / max          not seen before it closed');
  console.log(`  ours: push (commit → Redis → socket)   ${fmt(push).padEnd(30)} ${lostPush}`);
  console.log(`  baseline: poll every ${String(POLL_MS / 1000).padEnd(3)} s            ${fmt(poll).padEnd(30)} ${lostPoll}`);
  console.log(`  the click's answer (POST /consultations, invitees by rule)  ${fmt(ack)}`);
  console.log(`  target: invitation within 1 s — push p99 ${push.quantile(0.99)} ms: ${push.count && push.quantile(0.99) < 1000 && lostPush === 0 ? 'met' : 'NOT met'}`);
  console.log('');
  console.log(`concurrent one-click dispatch: ${DISPATCH_ROUNDS} rounds × ${CLICKS} clicks (deputy and chief, own request keys)`);
  console.log(`  rounds that made exactly one dispatch, every click answered with it: ${single} / ${DISPATCH_ROUNDS}`);
  console.log(`  answer p50 / p95 / p99 / max: ${fmt(dispatchAck)}`);
}

runBench('bench:command', main, cleanup);
