// The steps `npm start` and `npm test` share. Plain Node, no dependencies: this runs before
// `npm ci` has installed anything.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function say(line) {
  console.log(`[liandong] ${line}`);
}

export function fail(lines) {
  console.error(`\n[liandong] cannot continue:\n  ${[].concat(lines).join('\n  ')}\n`);
  process.exit(1);
}

/** Runs a command with inherited output; resolves to its exit code. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (err) => {
      console.error(`[liandong] ${cmd}: ${err.message}`);
      resolve(1);
    });
  });
}

/** `npm ci` when node_modules is missing or older than package-lock.json. */
export async function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules/.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing dependencies (npm ci) …');
  const code = await run('npm', ['ci', '--no-audit', '--no-fund']);
  if (code !== 0) fail(['`npm ci` failed (see above). It needs the npm registry or a populated npm cache.']);
}

const BUILD_INPUTS = ['app', 'lib', 'public', 'next.config.js', 'tsconfig.json', 'package-lock.json'];

function fingerprint() {
  const hash = createHash('sha256');
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.endsWith('.test.ts')) walk(path.join(p, name));
    } else {
      hash.update(path.relative(ROOT, p));
      hash.update(readFileSync(p));
    }
  };
  for (const input of BUILD_INPUTS) walk(path.join(ROOT, input));
  return hash.digest('hex');
}

/**
 * `next build` when there is no build or its sources changed since. With `log` (a file), the build
 * writes there instead of the terminal, as it runs beside other steps (`npm test`), and a failure
 * resolves to false with the log's tail shown rather than ending the process under those steps.
 */
export async function ensureBuild({ log } = {}) {
  const stamp = path.join(ROOT, '.next/liandong-build.sha256');
  const want = fingerprint();
  if (existsSync(path.join(ROOT, '.next/BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return true;
  say(`building the web app (next build${log ? `, output in ${path.relative(ROOT, log)}` : ''}) …`);
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  let code;
  if (log) {
    const fd = openSync(log, 'w');
    try {
      code = await run('npx', ['next', 'build'], { env, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
  } else code = await run('npx', ['next', 'build'], { env });
  if (code !== 0) {
    if (!log) fail(['`next build` failed (see above).']);
    console.error(readFileSync(log, 'utf8').split('\n').slice(-60).join('\n'));
    say(`\`next build\` failed (the end of ${path.relative(ROOT, log)} above).`);
    return false;
  }
  writeFileSync(stamp, want);
  if (log) say('web app built.');
  return true;
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function hasApt() {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

let aptUpdated = false;
/** Installs Debian packages when we are root with apt; otherwise says exactly what to install. */
export async function aptInstall(packages, why) {
  if (!isRoot() || !hasApt())
    fail([`${why}`, `Install it with:  sudo apt-get install -y ${packages.join(' ')}`]);
  say(`${why} — installing ${packages.join(' ')} with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await run('apt-get', ['update', '-q'], { env });
    aptUpdated = true;
  }
  const code = await run('apt-get', ['install', '-y', '-q', ...packages], { env });
  if (code !== 0) fail([`apt-get install ${packages.join(' ')} failed (see above).`]);
}

/** Starts the server (TypeScript through tsx) and forwards signals to it. */
export async function serve(env) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...process.env, ...env },
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 1));
}
