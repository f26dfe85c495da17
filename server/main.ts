import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { ConfigError, DEMO_PASSWORD, loadConfig } from './config';
import { openBus } from './bus/open';
import type { AppContext } from './context';
import { migrate } from './db/migrate';
import { openDatabase } from './db/open';
import { createHttpServer } from './http/server';
import { startLive } from './live/index';
import { createIo } from './live/io';
import { attachLiveSockets } from './live/sockets';
import { refuseDemoKeys, refuseDemoPasswords } from './production';
import { issueSetupToken } from './auth/setup';
import { startPhotoSweeper } from './photos/orphans';
import { repeat } from './jobs/repeat';
import { DEMO_ACCOUNTS } from './seed/accounts';
import { isEmpty, seedDemo } from './seed/demo';
import { startSimulator } from './sim/index';
import { closeAppContext, createAppContext } from './app';
import { startSupervision } from './events/supervise';
import { startMeetingScheduler } from './command/meetings';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => console.log(`[liandong] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  const { applied, total } = await migrate(database.db);
  log(`database: ${database.info.kind} — ${database.info.describe} (${applied.length} of ${total} migrations applied now)`);
  if (config.mode === 'demo' && (await isEmpty(database.db))) {
    const t0 = Date.now();
    log('empty database: seeding the Nanxun demo …');
    await seedDemo(database.db, log);
    log(`demo seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (config.mode === 'production') {
    await refuseDemoPasswords(database.db);
    await refuseDemoKeys(database.db);
  }
  // An empty production system has no one who could sign in: print a one-time link for the first administrator.
  const setupToken = config.mode === 'production' ? await issueSetupToken(database.db) : null;
  const bus = await openBus(config);
  log(`bus: ${bus.kind} — ${bus.describe}`);
  const app: AppContext = await createAppContext(config, database.db, bus, database.info);

  const nextApp = next({ dev: config.dev, dir: ROOT, hostname: 'localhost', port: config.port });
  await nextApp.prepare();
  const server = createHttpServer(app, nextApp.getRequestHandler());
  const io = createIo(server, app);
  const live = await startLive(app, io.io);
  app.live = live;
  attachLiveSockets(io.io, app, live);
  const supervision = startSupervision(app);
  const meetings = startMeetingScheduler(app);
  const photoSweeper = startPhotoSweeper(app);
  // Ended sessions are kept a day for the record, then deleted: the table does not grow without end.
  const sessionSweeper = repeat('sessions', 60 * 60 * 1000, () => app.sessions.sweep());
  const sim = config.mode === 'demo' && config.simulate ? await startSimulator(app, live, config.sim) : null;
  if (sim) log(sim.describe);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  log(`serving http://localhost:${port}  (wall: http://localhost:${port}/wall?display=${config.mode === 'demo' ? config.displayToken : '<DISPLAY_TOKEN>'})`);
  if (setupToken)
    log(`no administrator yet: open http://<this host>:${port}/setup?token=${setupToken} within 24 h to create the first one (the link works once; a restart prints a new one)`);
  if (config.mode === 'demo')
    log(`demo accounts (password ${DEMO_PASSWORD}): ${DEMO_ACCOUNTS.map((a) => `${a.username}(${a.role})`).join(' ')}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await sim?.stop();
    await supervision.stop();
    await meetings.stop();
    await photoSweeper.stop();
    await sessionSweeper.stop();
    await live.stop();
    await io.close();
    await nextApp.close().catch(() => undefined);
    await closeAppContext(app);
    await bus.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`[liandong] ${err.message}`);
  else console.error('[liandong] failed to start:', err);
  process.exit(1);
});
