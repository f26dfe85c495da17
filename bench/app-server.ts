// The real server (Next.js pages included) and the wall in Debian's Chromium, for the browser benches.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ROOT, spawnOwned, TS_CHILD_FLAGS, type OwnedProcess } from './children';

/** Lines of a server's output kept to explain a failed start: the last few, never the whole log. */
export const OUTPUT_TAIL_LINES = 40;

/** Appends `chunk`'s lines to `tail`, keeping at most `max`. */
export function keepTail(tail: string[], chunk: string, max = OUTPUT_TAIL_LINES): void {
  for (const line of chunk.split('\n')) if (line.trim()) tail.push(line);
  if (tail.length > max) tail.splice(0, tail.length - max);
}

/** Who listens on `port`, as `ss` tells it (empty if it cannot). */
function listenerOf(port: number): string {
  try {
    return execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8', timeout: 5000 }).trim();
  } catch {
    return '';
  }
}

/** Throws a clear error if something already listens on `port` (often a bench run that was killed). */
export async function assertPortFree(port: number, variable: string): Promise<void> {
  const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    // The app server listens on 0.0.0.0: probe the same address.
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(null)));
  });
  if (!err) return;
  if (err.code !== 'EADDRINUSE') throw err;
  const who = listenerOf(port);
  throw new Error(
    `port ${port} is already in use${who ? ` — ${who}` : ''}. An earlier bench that was killed may still be running: ` +
      `stop that process, or set ${variable} to a free port.`,
  );
}

/**
 * What a bench checks before it spends minutes on a database: its port is free, and the web app is
 * built and current (`next build` when stale, as `npm start` does; server/main.ts serves only a build).
 */
export async function prepareAppServer(port: number, portVariable: string): Promise<void> {
  await assertPortFree(port, portVariable);
  // In a process of its own the bench owns, so a Ctrl-C or a failure stops `next build` with it.
  const steps = pathToFileURL(path.join(ROOT, 'server/cli/steps.mjs')).href;
  const build = spawnOwned('next build', process.execPath, [...TS_CHILD_FLAGS, '-e', `import(${JSON.stringify(steps)}).then((m) => m.ensureBuild())`]);
  const code = await build.exited;
  if (code !== 0) throw new Error(`building the web app failed (${code}): see above`);
}

export interface ServerStart {
  name: string;
  /** Node's arguments after TS_CHILD_FLAGS. */
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  /** The env variable the bench reads the port from, named in the error if it is taken. */
  portVariable: string;
  /** A line of its stdout that says it serves. */
  ready: RegExp;
  timeoutMs?: number;
}

/** Starts a Node server the bench owns and resolves once it prints `ready`; its stdout is drained, not kept. */
export async function startServer(s: ServerStart): Promise<OwnedProcess> {
  await assertPortFree(s.port, s.portVariable);
  const server = spawnOwned(s.name, process.execPath, [...TS_CHILD_FLAGS, ...s.args], { env: s.env, stdio: ['pipe', 'pipe', 'inherit'] });
  const tail: string[] = [];
  const stdout = server.proc.stdout;
  if (!stdout) throw new Error(`${s.name}: no stdout`);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${s.name} did not serve within ${(s.timeoutMs ?? 180_000) / 1000} s`)), s.timeoutMs ?? 180_000);
      // The ready line may arrive split over two chunks: test the end of what came, not each chunk.
      let recent = '';
      const onData = (d: Buffer) => {
        const text = d.toString();
        keepTail(tail, text);
        recent = (recent + text).slice(-4096);
        if (!s.ready.test(recent)) return;
        clearTimeout(timer);
        resolve();
      };
      stdout.on('data', onData);
      void server.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${s.name} exited (${code}) before serving; its last output:\n${tail.join('\n')}`));
      });
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  // Drained so the pipe never fills and blocks the server; nothing is kept.
  stdout.removeAllListeners('data');
  stdout.resume();
  return server;
}

/** Starts server/main.ts on env.PORT with `env` and resolves once it serves. */
export function startAppServer(env: Record<string, string>, portVariable = 'BENCH_PORT'): Promise<OwnedProcess> {
  return startServer({
    name: 'app server',
    args: ['server/main.ts'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
    port: Number(env.PORT),
    portVariable,
    ready: /serving http/,
  });
}

/** Opens /wall with the demo display token at 1920×1080 and waits until the map has drawn. */
export async function openWall(port: number): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`http://localhost:${port}/wall?display=demo-wall`);
    await page.waitForSelector('body[data-wall-ready="1"]', { state: 'attached', timeout: 120_000 });
    return { browser, context, page };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
