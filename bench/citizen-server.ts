// bench:citizen — the server under test in a process of its own: what server/main.ts runs for the
// API (our HTTP router, Socket.IO and the live stack with the outbox, supervision, the pool, the
// Redis bus under BUS_PREFIX) without Next.js, which serves no API route and would only add a
// build to the bench. The database is migrated and seeded by the bench before this starts.
import { openBus } from '../server/bus/open';
import { loadConfig } from '../server/config';
import type { AppContext } from '../server/context';
import { openDatabase } from '../server/db/open';
import { closeAppContext, createAppContext } from '../server/app';
import { startSupervision } from '../server/events/supervise';
import { createHttpServer } from '../server/http/server';
import { startLive } from '../server/live/index';
import { createIo } from '../server/live/io';
import { attachLiveSockets } from '../server/live/sockets';

if (!process.env.BUS_PREFIX?.startsWith('bench:')) throw new Error('BUS_PREFIX must start with bench: — the bench never runs on a deployment prefix');
if (process.env.SIMULATE !== '0') throw new Error('SIMULATE=0 expected');

const config = loadConfig();
if (!config.databaseUrl || !config.redisUrl) throw new Error('DATABASE_URL and REDIS_URL must be set');
const database = await openDatabase(config);
const bus = await openBus(config);
const app: AppContext = await createAppContext(config, database.db, bus, database.info);
const server = createHttpServer(app, async (_req, res) => void res.writeHead(404).end());
server.keepAliveTimeout = 60_000;
const io = createIo(server, app);
const live = await startLive(app, io.io);
app.live = live;
attachLiveSockets(io.io, app, live);
const supervision = startSupervision(app);
await new Promise<void>((resolve) => server.listen(config.port, '127.0.0.1', resolve));
console.log(`serving http://127.0.0.1:${config.port}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) process.exit(1);
  stopping = true;
  setTimeout(() => process.exit(1), 15_000).unref();
  server.closeAllConnections();
  await supervision.stop();
  await live.stop();
  await io.close();
  await closeAppContext(app);
  await bus.close();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
