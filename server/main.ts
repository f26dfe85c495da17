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
import { startRetention } from './jobs/retention';
import { startCoverage } from './jobs/coverage';
import { startWarnings } from './jobs/warnings';
import { repeat } from './jobs/repeat';
import { startDutyJob } from './jobs/duty';
import { startMediationNotices } from './mediation/notices';
import { startPoints } from './jobs/points';
import { startReports } from './jobs/reports';
import { startAssessment } from './jobs/assessment';
import { child } from './obs/log';
import { watchSockets } from './obs/metrics';
import { drainHttp, markShuttingDown } from './obs/shutdown';
import { DEMO_ACCOUNTS } from './seed/accounts';
import { isEmpty, seedDemo } from './seed/demo';
import { startSimulator } from './sim/index';
import { closeAppContext, createAppContext } from './app';
import { startSupervision } from './events/supervise';
import { startMeetingScheduler } from './command/meetings';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = child('main');

/** How long requests under way may take to finish once a shutdown begins; then they are cut. */
const DRAIN_MS = 10_000;
/** The whole shutdown; past it the process exits 1, whatever it is still waiting for. */
const SHUTDOWN_MS = 20_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  const { applied, total } = await migrate(database.db);
  log.info({ database: database.info, migrationsApplied: applied.length, migrations: total }, `database: ${database.info.kind} — ${database.info.describe}`);
  if (config.mode === 'demo' && (await isEmpty(database.db))) {
    const t0 = Date.now();
    log.info('empty database: seeding the Nanxun demo …');
    await seedDemo(database.db, (line) => log.info(line));
    log.info(`demo seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (config.mode === 'production') {
    await refuseDemoPasswords(database.db);
    await refuseDemoKeys(database.db);
  }
  // An empty production system has no one who could sign in: print a one-time link for the first administrator.
  const setupToken = config.mode === 'production' ? await issueSetupToken(database.db) : null;
  const bus = await openBus(config);
  log.info({ bus: bus.kind }, `bus: ${bus.kind} — ${bus.describe}`);
  const app: AppContext = await createAppContext(config, database.db, bus, database.info);

  const nextApp = next({ dev: config.dev, dir: ROOT, hostname: 'localhost', port: config.port });
  await nextApp.prepare();
  const server = createHttpServer(app, nextApp.getRequestHandler());
  const io = createIo(server, app);
  watchSockets(io.io);
  const live = await startLive(app, io.io);
  app.live = live;
  attachLiveSockets(io.io, app, live);
  const supervision = startSupervision(app);
  const meetings = startMeetingScheduler(app);
  const photoSweeper = startPhotoSweeper(app);
  // Position history by day: compacted, thinned after POSITIONS_KEEP_DAYS, dropped after POSITIONS_THIN_KEEP_DAYS (issues 11, 12).
  const retention = startRetention(app);
  // Visits and patrol from the raw fixes, before retention thins them (issue 12, S3, S10).
  const coverage = startCoverage(app);
  // Early warnings on a schedule and after large imports (issue 13, S9).
  const warnings = startWarnings(app);
  // Ended sessions are kept a day for the record, then deleted: the table does not grow without end.
  const sessionSweeper = repeat('sessions', 60 * 60 * 1000, () => app.sessions.sweep());
  // Trackers' and the simulator's duty shifts end when they fall silent (issue 12).
  const duty = startDutyJob(app);
  // Mediation cases past their limit, follow-up visits due: the deputy chief is told once (issue 14).
  const mediationNotices = startMediationNotices(app);
  // Rewards for what was verified and closed, inspections held, clawbacks of reports found false (issue 15, S14).
  const points = startPoints(app);
  // The district report of each period the scoring job froze (issue 15 point 6).
  const reports = startReports(app);
  // Scores of the open month, quarter and year every 30 minutes; ended periods frozen (issue 15, S13, S14).
  const assessment = startAssessment(app);
  const sim = config.mode === 'demo' && config.simulate ? await startSimulator(app, live, config.sim) : null;
  if (sim) log.info(sim.describe);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  log.info({ port }, `serving http://localhost:${port}  (wall: http://localhost:${port}/wall?display=${config.mode === 'demo' ? config.displayToken : '<DISPLAY_TOKEN>'})`);
  if (setupToken)
    log.info(`no administrator yet: open http://<this host>:${port}/setup?token=${setupToken} within 24 h to create the first one (the link works once; a restart prints a new one)`);
  if (config.mode === 'demo')
    log.info(`demo accounts (password ${DEMO_PASSWORD}): ${DEMO_ACCOUNTS.map((a) => `${a.username}(${a.role})`).join(' ')}`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without finishing the shutdown');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Not unref'd: a step waiting on nothing that keeps the loop alive must still end in exit 1, not a quiet exit 0.
    setTimeout(() => {
      log.error({ ms: SHUTDOWN_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_MS);
    try {
      // Balancers polling /readyz stop sending work; no new connection is taken; sockets move away; requests under way finish.
      markShuttingDown(app);
      await drainHttp(server, io, DRAIN_MS);
      await Promise.all([sim?.stop(), supervision.stop(), meetings.stop(), photoSweeper.stop(), retention.stop(), coverage.stop(), warnings.stop(), sessionSweeper.stop(), duty.stop(), mediationNotices.stop(), points.stop(), reports.stop(), assessment.stop()]);
      await live.stop();
      await nextApp.close().catch(() => undefined);
      await closeAppContext(app);
      await bus.close();
      await database.close();
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) log.fatal(err.message);
  else log.fatal({ err }, 'failed to start');
  process.exit(1);
});
