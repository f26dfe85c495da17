// The real server (Next.js pages included) and the wall in Debian's Chromium, for the browser benches.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts server/main.ts with `env` and resolves once it serves. */
export async function startAppServer(env: Record<string, string>): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout?.on('data', (d: Buffer) => /serving http/.test(d.toString()) && resolve());
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return server;
}

/** Opens /wall with the demo display token at 1920×1080 and waits until the map has drawn. */
export async function openWall(port: number): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto(`http://localhost:${port}/wall?display=demo-wall`);
  await page.waitForSelector('body[data-wall-ready="1"]', { state: 'attached', timeout: 120_000 });
  return { browser, context, page };
}
