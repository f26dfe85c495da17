// Benches used to leave their app server running when they failed, were signalled or died of an
// OOM abort (bench:wall left port 3390 taken, so the next run failed with EADDRINUSE). Each case
// runs children-fixture.ts — a bench that starts a server with a child of its own — ends it one
// way, and checks the server, its child and its port are all gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepTail, OUTPUT_TAIL_LINES } from './app-server';
import { ROOT } from './children';

/** Running, that is: not gone and not a zombie (nobody may reap an orphan here). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '0.0.0.0', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Run {
  bench: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  pidsFile: string;
}

function startFixture(mode: string, port: number): Run {
  const pidsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-children-')), 'pids');
  const bench = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/children-fixture.ts')], {
    cwd: ROOT,
    env: { ...process.env, FIXTURE_MODE: mode, FIXTURE_PORT: String(port), FIXTURE_PIDS: pidsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  bench.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  bench.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => bench.once('exit', (code, signal) => resolve({ code, signal })));
  return { bench, output: () => output, exit, pidsFile };
}

/** Starts the fixture, waits for its server, ends it by `end`, and checks nothing it started is left. */
async function expectNothingLeft(mode: string, end: (run: Run) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const port = await freePort();
  const run = startFixture(mode, port);
  let pids: number[] = [];
  try {
    await until('the fixture server serves', () => (run.output().includes('READY') && existsSync(run.pidsFile)) || run.bench.exitCode !== null);
    expect(run.output()).toContain('READY');
    pids = readFileSync(run.pidsFile, 'utf8').split(' ').map(Number);
    expect(pids.every(running)).toBe(true);
    expect(await portFree(port)).toBe(false);
    end(run);
    const exited = await run.exit;
    await until(`server ${pids[0]} and its child ${pids[1]} gone`, () => !pids.some(running));
    await until(`port ${port} free`, () => portFree(port));
    return { ...exited, output: run.output() };
  } finally {
    // Whatever the assertions said, the test itself leaves nothing behind.
    if (run.bench.exitCode === null) run.bench.kill('SIGKILL');
    for (const pid of pids) if (running(pid)) process.kill(pid, 'SIGKILL');
    rmSync(path.dirname(run.pidsFile), { recursive: true, force: true });
  }
}

const goOn = (run: Run) => run.bench.kill('SIGUSR2');

describe('a bench stops what it started', () => {
  it('when it finishes', async () => {
    const { code } = await expectNothingLeft('return', goOn);
    expect(code).toBe(0);
  });

  it('when its main throws', async () => {
    const { code, output } = await expectNothingLeft('throw', goOn);
    expect(code).toBe(1);
    expect(output).toContain('thrown on purpose');
  });

  it('on an uncaught exception', async () => {
    const { code, output } = await expectNothingLeft('uncaught', goOn);
    expect(code).toBe(1);
    expect(output).toContain('uncaught on purpose');
  });

  it('on SIGTERM', async () => {
    const { code } = await expectNothingLeft('wait', (run) => run.bench.kill('SIGTERM'));
    expect(code).toBe(143);
  });

  it('on SIGINT (Ctrl-C)', async () => {
    const { code } = await expectNothingLeft('wait', (run) => run.bench.kill('SIGINT'));
    expect(code).toBe(130);
  });

  it('when it dies without running any handler (SIGKILL, as a V8 out-of-memory abort)', async () => {
    const { signal } = await expectNothingLeft('wait', (run) => run.bench.kill('SIGKILL'));
    expect(signal).toBe('SIGKILL');
  });

  it('refuses a port already in use, saying so, and leaves its holder alone', async () => {
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '0.0.0.0', () => resolve((holder.address() as net.AddressInfo).port)));
    const run = startFixture('return', port);
    try {
      const { code } = await run.exit;
      expect(code).toBe(1);
      expect(run.output()).toMatch(new RegExp(`port ${port} is already in use.*FIXTURE_PORT`, 's'));
      expect(holder.listening).toBe(true);
    } finally {
      holder.close();
      rmSync(path.dirname(run.pidsFile), { recursive: true, force: true });
    }
  });
});

describe('keepTail', () => {
  it('keeps the last lines of a server output, never all of it', () => {
    const tail: string[] = [];
    for (let i = 0; i < 10_000; i++) keepTail(tail, `line ${i}\nmore ${i}\n`);
    expect(tail).toHaveLength(OUTPUT_TAIL_LINES);
    expect(tail[tail.length - 1]).toBe('more 9999');
  });
});
