// `npm test`: unit, integration and e2e tests on the real PostgreSQL+PostGIS, Redis and Chromium
// of this machine, installing what is missing where it can. Ends with the runners' counts.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, aptInstall, ensureBuild, ensureDependencies, run, say } from './steps.mjs';

const CHROMIUM = '/usr/bin/chromium';
const env = {
  ...process.env,
  TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liandong_test',
  TEST_REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  NEXT_TELEMETRY_DISABLED: '1',
};

await ensureDependencies();
if (!existsSync(CHROMIUM)) await aptInstall(['chromium', 'fonts-wqy-microhei'], 'Chromium is needed for the e2e tests');
const { ensureDatabase, ensurePostgis, ensureRedis } = await import('./services.mjs');
await ensurePostgis(env.TEST_DATABASE_URL);
await ensureDatabase(env.TEST_DATABASE_URL, { fresh: true });
await ensureRedis(env.TEST_REDIS_URL);

const results = path.join(ROOT, 'test-results');
mkdirSync(results, { recursive: true });
const vitestJson = path.join(results, 'vitest.json');
const playwrightJson = path.join(results, 'playwright.json');

// Only Playwright needs the build. It runs beside lint and vitest, whose serial integration tests
// leave a core mostly idle on this 2-core machine: 2–3 minutes of a fresh clone's run.
const built = ensureBuild({ log: path.join(results, 'next-build.log') });
say('lint (eslint, Next.js rules) …');
const lintCode = await run('npx', ['eslint', '.', '--max-warnings=0'], { env });
say('unit and integration tests (vitest) …');
const vitestCode = await run('npx', ['vitest', 'run', '--config', 'server/test/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile=${vitestJson}`], { env });
let playwrightCode = 1;
if (await built) {
  say('end-to-end tests (playwright, Chromium) …');
  playwrightCode = await run('npx', ['playwright', 'test', '--config', 'e2e/playwright.config.ts'], {
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
  });
} else {
  // A stale report must not pass for this run's.
  rmSync(playwrightJson, { force: true });
}

function counts(file, read) {
  try {
    return read(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return 'no report (the runner did not finish)';
  }
}
const vitestLine = counts(vitestJson, (r) =>
  `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped (${r.numTotalTests} tests in ${r.numTotalTestSuites} suites)`);
const playwrightLine = counts(playwrightJson, (r) =>
  `${r.stats.expected} passed, ${r.stats.unexpected} failed, ${r.stats.flaky} flaky, ${r.stats.skipped} skipped`);

console.log('\n──────── test summary ────────');
console.log(`vitest (unit + integration): ${vitestLine}`);
console.log(`playwright (e2e):            ${playwrightLine}`);
console.log(`eslint:                      ${lintCode === 0 ? 'clean' : 'problems (see above)'}`);
if (!(await built)) console.log('next build:                  failed (test-results/next-build.log); e2e not run');
const ok = lintCode === 0 && vitestCode === 0 && playwrightCode === 0;
console.log(ok ? 'ALL PASSED' : 'FAILED');
process.exit(ok ? 0 : 1);
