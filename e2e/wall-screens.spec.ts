import { expect, test, type Page } from '@playwright/test';
import { foreign, recordRequests } from './airgap';

/*
 * A video wall of several screens (issue 13): each screen its own browser on /wall?screen=…, at
 * the sizes walls come in, with nothing to scroll, no request off-origin, no cursor, and a reload
 * of its own when the server is upgraded.
 */

const SIZES = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '3840x2160', width: 3840, height: 2160 },
  { name: '5120x1440', width: 5120, height: 1440 },
] as const;
const SCREENS = ['map', 'cockpit', 'warnings'] as const;

/** Anything that scrolls, or could: the document, and every element whose overflow shows a scrollbar. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const doc = document.scrollingElement!;
    if (doc.scrollWidth > doc.clientWidth || doc.scrollHeight > doc.clientHeight) {
      found.push(`document ${doc.scrollWidth}×${doc.scrollHeight} in ${doc.clientWidth}×${doc.clientHeight}`);
    }
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const s = getComputedStyle(el);
      const scrolls = (v: string) => v === 'auto' || v === 'scroll';
      const x = scrolls(s.overflowX) && el.scrollWidth > el.clientWidth;
      const y = scrolls(s.overflowY) && el.scrollHeight > el.clientHeight;
      if (x || y) found.push(`${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
    }
    // Everything on a screen lies within it: a panel pushed past the edge would be cut, not scrolled.
    for (const el of document.querySelectorAll<HTMLElement>('[data-screen] > *')) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 || r.bottom > window.innerHeight + 1) found.push(`${el.tagName.toLowerCase()}.${el.className} reaches ${Math.round(r.right)},${Math.round(r.bottom)}`);
    }
    return found;
  });
}

for (const screen of SCREENS) {
  for (const size of SIZES) {
    test(`the ${screen} screen fits ${size.name} with nothing to scroll, asking no other host`, async ({ page, baseURL }, testInfo) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const urls = recordRequests(page);
      await page.goto(`/wall?display=demo-wall&screen=${screen}`);
      // The screen asked for survives the token's exchange for a session.
      await expect(page).toHaveURL(screen === 'map' ? /\/wall\?screen=map$/ : new RegExp(`/wall\\?screen=${screen}$`));
      await expect(page.locator(`[data-screen="${screen}"]`)).toBeVisible();
      if (screen !== 'cockpit') await expect(page.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
      if (screen === 'warnings') await expect(page.getByTestId('wall-warnings')).toBeVisible();
      await expect(page.getByTestId('wall-status')).toHaveAttribute('data-state', 'ok');
      await page.waitForLoadState('networkidle');

      expect(await overflowing(page)).toEqual([]);
      await page.screenshot({ path: testInfo.outputPath(`wall-${screen}-${size.name}.png`) });
      expect(foreign(urls, baseURL!)).toEqual([]);
    });
  }
}

test('the pointer disappears when left still, and comes back when moved', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/wall?display=demo-wall&screen=warnings');
  const root = page.locator('[data-screen="warnings"]');
  const cursorAt = (x: number, y: number) => page.evaluate(([px, py]) => getComputedStyle(document.elementFromPoint(px, py)!).cursor, [x, y]);
  // A wall boots with nobody at it.
  await expect(root).toHaveAttribute('data-cursor', 'hidden');
  expect(await cursorAt(960, 600)).toBe('none');
  await page.mouse.move(900, 500);
  await page.mouse.move(960, 600);
  await expect(root).toHaveAttribute('data-cursor', 'shown');
  expect(await cursorAt(960, 600)).not.toBe('none');
  // Left still, it goes again (after CURSOR_IDLE_MS, 3 s).
  await expect(root).toHaveAttribute('data-cursor', 'hidden', { timeout: 10_000 });
  expect(await cursorAt(960, 600)).toBe('none');
});

test('the screen holds a wake lock', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/wall?display=demo-wall&screen=cockpit');
  await expect(page.locator('[data-screen="cockpit"]')).toHaveAttribute('data-wake-lock', 'held');
});

test('the wall reloads itself when the server reports another build', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  // The clock is ours so the minute between questions can pass at once; it runs on meanwhile.
  await page.clock.install();
  const real = (await (await page.request.get('/version')).json()) as { build: string };
  expect(real.build).toMatch(/\S/);
  let served = real.build;
  let asked = 0;
  await page.route('**/version', (route) => {
    asked += 1;
    return route.fulfill({ json: { build: served }, headers: { 'cache-control': 'no-store' } });
  });
  await page.goto('/wall?display=demo-wall&screen=warnings');
  await expect(page.locator('[data-screen="warnings"]')).toBeVisible();
  await expect.poll(() => asked).toBeGreaterThanOrEqual(1);
  await page.evaluate(() => ((window as unknown as { __loadedOnce: boolean }).__loadedOnce = true));

  // The same build a minute later: nothing happens.
  await page.clock.fastForward('01:05');
  await expect.poll(() => asked).toBeGreaterThanOrEqual(2);
  expect(await page.evaluate(() => (window as unknown as { __loadedOnce?: boolean }).__loadedOnce)).toBe(true);

  // An upgrade: the next question hears another id, and the page loads afresh.
  served = `${real.build}-next`;
  const reloaded = page.waitForEvent('load');
  await page.clock.fastForward('01:05');
  await reloaded;
  await expect(page.locator('[data-screen="warnings"]')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __loadedOnce?: boolean }).__loadedOnce)).toBeUndefined();
});
