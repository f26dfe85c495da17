// `npm run bench:assessment` — scoring and the monthly report at the size of the issue (issue 15,
// "Speed"; S13, S14). A benchmark, not a test: it measures, prints its figures beside a baseline
// run in the same process, and MET / NOT met per goal; it asserts nothing.
//
// In a PostgreSQL cluster of its own (server/test/pg-cluster.ts), removed at the end: the demo
// district and its roster (26 stations, 4,219 people) and 1,000,000 events over a year made by
// bench:analytics' generator (bench/analytics/generate.ts: each event through its closed loop,
// routed to its category's department); then what scoring reads besides (bench/assessment/*):
// department staff for the departments routed to, an account per person, the closed loop's log
// steps by those accounts (accept, assign, handle, verify_pass / verify_fail, the supervision
// job's yellow and red cards, ratings), a few 越级信访 / 群体性事件 flags, accountability
// records from red cards, a scored review of every station, and the year's routine consultations
// and joint inspections (most held, some not). Then, on the last month that ended:
//  1. computePeriod (server/assessment/compute.ts) for every station, team and person — ≤ 30 s —
//     against scoreSubjectNaive (server/assessment/naive.ts), the same subject by subject with one
//     query per figure, timed for all subjects or, past BENCH_NAIVE_CAP_S, for a fixed sample
//     taking the kinds in turn and extrapolated at each kind's mean (both printed);
//  2. the district's monthly xlsx (server/reports/xlsx.ts buildReport) — ≤ 10 s and ≤ 5 MB.
//
// Env: BENCH_PRESET=quick (100,000 events, ~2–3 min), BENCH_EVENTS, BENCH_DAYS, BENCH_PERIOD
// (YYYY-MM), BENCH_REPS, BENCH_NAIVE_CAP_S, BENCH_LOAD_BATCH, BENCH_SEED (bench/assessment/options.ts).
import { loadavg } from 'node:os';
import type { OwnPostgres } from '../server/test/pg-cluster';
import type { Db } from '../server/db/pool';
import { instantsOfPeriod, parsePeriod } from '../lib/assessment/periods';
import { interrupted, runBench } from './children';
import { generateEvents } from './analytics/generate';
import { benchPool, prepareDatabase, startCluster } from './assessment/cluster';
import { generateEventLog } from './assessment/event-log';
import { monthlyXlsx, naiveBaseline, scoreMonth, type Naive, type Scoring, type Xlsx } from './assessment/goals';
import { readAssessmentOptions } from './assessment/options';
import { generateMeetings } from './assessment/meetings';
import { generateRecords } from './assessment/records';
import { printAssessmentReport, type AssessmentReport } from './assessment/report';
import { prepareStaff } from './assessment/staff';
import { CORES } from './proc';

const opts = readAssessmentOptions();
const log = (line: string) => console.log(`[bench:assessment] ${line}`);
let cluster: OwnPostgres | undefined;
const pools: Db[] = [];

async function cleanup(): Promise<void> {
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  if (cluster) {
    await cluster.close();
    log('own PostgreSQL cluster stopped and removed');
  }
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message.split('\n')[0] : String(err));

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const period = parsePeriod(opts.period)!;
  log(`${opts.preset}: ${opts.events.toLocaleString('en')} events over ${opts.days} days, scoring ${period.label} (${opts.period}); ${CORES} cores`);
  cluster = await startCluster(log);
  // The app's own pool size (DB_POOL_MAX's default).
  const db = benchPool(cluster, 10, 'bench-assessment');
  pools.push(db);

  let t = performance.now();
  await prepareDatabase(db, opts.period, log);
  log(`database migrated and seeded in ${((performance.now() - t) / 1000).toFixed(1)} s; generating events …`);
  const generated = await generateEvents(db, { events: opts.events, days: opts.days, batch: opts.loadBatch, seed: opts.seed }, log);
  log(`${generated.events.toLocaleString('en')} events loaded in ${(generated.loadMs / 1000).toFixed(1)} s; staff and accounts …`);
  if (interrupted()) return;
  const staff = await prepareStaff(db);
  log(`${staff.people} people (${staff.added} department staff added), ${staff.accounts} accounts added; the closed loop's log …`);
  const eventLog = await generateEventLog(db, log);
  log(`${eventLog.rows.toLocaleString('en')} log steps in ${(eventLog.ms / 1000).toFixed(1)} s; flags, accountability, reviews …`);
  if (interrupted()) return;
  const records = await generateRecords(db, period.year);
  const meetings = await generateMeetings(db, opts.days);
  const { from, to } = instantsOfPeriod(period);
  const { rows: month } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE reported_at >= $1 AND reported_at < $2`, [from, to]);
  log(
    `${records.accountability} accountability records, ${records.reviews} reviews, ${meetings.consultations} consultations (${meetings.held} held), ` +
      `${meetings.inspections} inspections; ${month[0].n.toLocaleString('en')} events reported in ${opts.period}`,
  );
  if (interrupted()) return;

  const failed: AssessmentReport['failed'] = { scoring: undefined, naive: undefined, xlsx: undefined };
  let scoring: Scoring | undefined;
  let naive: Naive | undefined;
  let xlsx: Xlsx | undefined;
  try {
    scoring = await scoreMonth(db, opts.period, opts.reps, log);
  } catch (err) {
    failed.scoring = firstLine(err);
    log(`computePeriod failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  if (interrupted()) return;
  if (scoring) {
    try {
      naive = await naiveBaseline(db, opts.period, new Date(scoring.runs[scoring.runs.length - 1].at), opts.naiveCapMs, log);
    } catch (err) {
      failed.naive = firstLine(err);
      log(`scoreSubjectNaive failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  } else failed.naive = 'no scores to compare with';
  if (interrupted()) return;
  try {
    xlsx = await monthlyXlsx(db, opts.period, new Date(), opts.reps, log);
  } catch (err) {
    failed.xlsx = firstLine(err);
    log(`buildReport failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  if (interrupted()) return;
  t = performance.now();
  printAssessmentReport({
    opts, generated, eventLog, staff, records, meetings, monthEvents: month[0].n, scoring, naive, xlsx, failed,
    totalMs: t - started, load: [loadAtStart, loadavg()[0]],
  });
}

runBench('bench:assessment', main, cleanup);
