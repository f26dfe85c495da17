// npm run chaos — the fault drill of issue 11: a steady load of events and positions; the server
// killed with -9, Redis restarted without its data, PostgreSQL crashed, Redis paused; for each,
// acknowledged = stored, the answers during the fault, the time until positions and the wall are
// live again, and duplicates. Then the long round of the route fuzzer (server/http/fuzz.test.ts,
// FUZZ_RUNS=200) on a database of its own. CHAOS_PRESET=quick is the short variant without the
// fuzzer (`npm test` runs the drill's short variant as bench/chaos.test.ts, and a short fuzz round).
import { runBench, spawnOwned } from './children';
import { printChaos } from './chaos/report';
import { FAULTS, running, runChaos } from './chaos/run';
import { createBenchDatabase, dropBenchDatabase } from './database';

const quick = process.env.CHAOS_PRESET === 'quick';
const FUZZ_DB = process.env.CHAOS_FUZZ_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liandong_chaos_fuzz';
let fuzzDb = false;

async function longFuzz(runs: number): Promise<boolean> {
  fuzzDb = true;
  await createBenchDatabase(FUZZ_DB, 0, () => {});
  console.log(`[chaos] route fuzzer, long round: ${runs} runs per route and socket event …`);
  const child = spawnOwned('fuzz', process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'server/test/vitest.config.ts', 'server/http/fuzz.test.ts'], {
    env: { ...process.env, TEST_DATABASE_URL: FUZZ_DB, FUZZ_RUNS: String(runs), LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const code = await child.exited;
  console.log(`  ${code === 0 ? 'MET' : 'NOT met'}: every route and socket event under ${runs} runs of malformed, huge and unknown input: 0 answers 5xx, 0 dropped connections`);
  return code === 0;
}

runBench(
  'chaos',
  async () => {
    const report = await runChaos({
      eventsPerSecond: Number(process.env.CHAOS_EVENTS ?? (quick ? 10 : 30)),
      units: Number(process.env.CHAOS_UNITS ?? (quick ? 50 : 500)),
      warmS: quick ? 3 : 10,
      outageS: quick ? 2 : 5,
      pauseS: quick ? 3 : 10,
      recoverS: quick ? 6 : 15,
      faults: FAULTS,
      log: (line) => console.log(`[chaos] ${line}`),
    });
    let ok = printChaos(report);
    if (!quick) ok = (await longFuzz(Number(process.env.FUZZ_RUNS ?? 200))) && ok;
    process.exitCode = ok ? 0 : 1;
  },
  async () => {
    await running.services?.close();
    if (fuzzDb) await dropBenchDatabase(FUZZ_DB).catch(() => undefined);
  },
);
