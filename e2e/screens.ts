import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createPool } from '../server/db/pool';

/** The database the e2e server runs on: specs read fixtures from it and check the record. */
export const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liandong_test';

export async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const db = createPool(DB, 1);
  try {
    return (await db.query(sql, params)).rows as T[];
  } finally {
    await db.end();
  }
}

/** A phone held in one hand, and a desk screen. */
export const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true };
export const DESK = { viewport: { width: 1920, height: 1080 } };

/** A browser context logged in as a demo account: one person's device. */
export async function loggedIn(browser: Browser, username: string, options: Parameters<Browser['newContext']>[0]): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const res = await context.request.post('/api/v1/auth/login', { data: { username, password: 'demo1234' } });
  expect(res.status(), `login ${username}`).toBe(200);
  return context;
}

/** How long a page takes to answer and draw a frame: its main thread is free when this is short. */
export async function frameTime(page: Page): Promise<number> {
  const t = Date.now();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
  return Date.now() - t;
}

/** A unit's latest fix as a wall's live store holds it, or null when the wall has none (before its first, or not its unit). */
export function fixOnWall(page: Page, unitId: number): Promise<{ lon: number; lat: number; t: number } | null> {
  return page.evaluate((id) => {
    const u = window.__wall?.store?.unit(id);
    return u ? { lon: u.lon, lat: u.lat, t: u.t } : null;
  }, unitId);
}

/** A wall that is drawn, connected, synced and has its unit directory: from here a tick is the only way a fix arrives. */
export async function wallLive(page: Page): Promise<void> {
  await expect(page.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
  await expect
    .poll(() => page.evaluate(() => {
      const v = window.__wall?.store?.getState();
      return Boolean(v?.connected && v.synced && v.unitsLoaded);
    }), { timeout: 30_000 })
    .toBe(true);
}
