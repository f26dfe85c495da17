// The baseline: what a first version of the live relay would do. Same HTTP server, same Socket.IO
// auth, same ingest (validation, latest hash, history, pub/sub backbone) as our stack — only the
// last hop differs: ONE JSON event per position to every socket, no coalescing, no binary, no ticks.
import type { AddressInfo } from 'node:net';
import { CHANNELS } from '@/lib/contracts/live';
import { readTick } from '@/lib/live/pack';
import { createRedisBus } from '../server/bus/redis';
import { loadConfig } from '../server/config';
import type { AppContext } from '../server/context';
import { createPool } from '../server/db/pool';
import { createHttpServer } from '../server/http/server';
import { districtArea } from '../server/live/area';
import { HistoryWriter } from '../server/live/history';
import { PositionIngest } from '../server/live/ingest';
import { createIo } from '../server/live/io';
import { LatestFixes } from '../server/live/latest';
import { consumePositionStream } from '../server/live/stream';
import { UnitDirectory } from '../server/live/units';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../server/test/env';
import { emitEvent, followParent } from './ipc';
import type { NaivePosition } from './protocol';
import { serveServerStats } from './server-stats';
import { createAppContext } from '../server/app';

const prefix = process.env.BUS_PREFIX;
if (!prefix) throw new Error('BUS_PREFIX must be set: the bench never runs on a deployment prefix');

const db = createPool(TEST_DATABASE_URL, 4);
const config = loadConfig({ DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, BUS_PREFIX: prefix });
const bus = await createRedisBus(TEST_REDIS_URL, config.busPrefix);
const app: AppContext = await createAppContext(config, db, bus, { kind: 'postgresql', describe: 'bench' });
const server = createHttpServer(app, async (_req, res) => void res.writeHead(404).end());
const io = createIo(server, app);

const units = new UnitDirectory(db);
await units.load();
const latest = new LatestFixes();
await latest.load(bus, db);
const history = new HistoryWriter(db);
history.start();
const ingest = new PositionIngest(bus, units, latest, history, await districtArea(db));
const live = io.io.of('/live');
let fannedIn = 0;
let emitted = 0;

const offPositions = await bus.subscribe(CHANNELS.positions, (payload) => {
  readTick(payload).forEach((unitId, lon, lat, t, speed, heading) => {
    fannedIn += 1;
    // `local` like ours: a plain io.emit would also XADD every single position into the adapter's
    // Redis stream, which would make the baseline slower still for a reason unrelated to fan-out.
    // To every socket, rooms ignored, as a first version without scope would. Its station screens are
    // still held to their own station's units (client.ts counts the others as foreign and leaves them
    // out of updates, latency and drops), so both variants are judged on the same expected fixes.
    const position: NaivePosition = { unitId, t, lon, lat, speed, heading };
    live.local.emit('pos', position);
    emitted += 1;
  });
});

const offStream = await consumePositionStream(bus, ingest);

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serveServerStats(() => {
  const { accepted, ...rejected } = ingest.counters;
  return {
    accepted,
    rejected,
    fannedIn,
    emitted,
    ticks: 0,
    historyWritten: history.written,
    historyFailed: history.failed,
    sockets: live.sockets.size,
  };
});
followParent(async () => {
  await Promise.all([offPositions(), offStream()]);
  await history.stop();
  await io.close();
  await bus.close();
  await db.end();
});
emitEvent({ kind: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
