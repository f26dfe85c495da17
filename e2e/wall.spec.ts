import { expect, test, type Page } from '@playwright/test';
import { foreign, recordRequests } from './airgap';

/**
 * What the security headers broke or got wrong (issue 10): Chromium logs each CSP refusal and each
 * unknown Permissions-Policy feature to the console, and fires `securitypolicyviolation` for the former.
 */
async function policyErrors(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Permissions-Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.exposeFunction('__cspViolation', (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  return seen;
}

test('the wall renders the district at 1920×1080 from the display token, asking no other host', async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  const urls = recordRequests(page);
  const violations = await policyErrors(page);
  const res = await page.goto('/wall?display=demo-wall');
  expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await expect(page).toHaveURL(/\/wall$/);
  await expect(page.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
  await expect(page.getByText('南浔区社会治理联动指挥中心')).toBeVisible();
  await expect(page.getByText(/以下边界为示意/)).toBeVisible();

  // Grids at the default view are many: the layer must have drawn some of them.
  const grids = await page.evaluate(() => {
    const w = (window as unknown as { __wall: { map: { queryRenderedFeatures(o: { layers: string[] }): unknown[] } } }).__wall;
    return w.map.queryRenderedFeatures({ layers: ['grids-line'] }).length;
  });
  expect(grids).toBeGreaterThan(50);

  await page.screenshot({ path: 'test-results/wall-1920x1080.png' });
  expect(urls.length).toBeGreaterThan(3);
  expect(foreign(urls, baseURL!)).toEqual([]);
  // The live feed's websocket is allowed by connect-src 'self' alone.
  expect(urls.some((u) => u.startsWith('ws://'))).toBe(true);
  expect(violations).toEqual([]);
});

test('a stranger is sent to login, and the deputy chief lands on the console', async ({ page }) => {
  const violations = await policyErrors(page);
  await page.goto('/console');
  await expect(page).toHaveURL(/\/login\?next=%2Fconsole/);
  await page.getByLabel('用户名').fill('deputy');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/console$/);
  await expect(page.getByText('常务副站长')).toBeVisible();
  // The console's map and its worker load after the first paint.
  await page.waitForLoadState('networkidle');
  expect(violations).toEqual([]);
});

test('a wrong password is refused on the login page', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('用户名').fill('deputy');
  await page.getByLabel('密码').fill('wrong');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '用户名或密码错误' })).toBeVisible();
});
