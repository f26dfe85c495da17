import { expect, test } from '@playwright/test';
import { foreign, recordRequests } from './airgap';

test('the wall renders the district at 1920×1080 from the display token, asking no other host', async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  const urls = recordRequests(page);
  await page.goto('/wall?display=demo-wall');
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
});

test('a stranger is sent to login, and the deputy chief lands on the console', async ({ page }) => {
  await page.goto('/console');
  await expect(page).toHaveURL(/\/login\?next=%2Fconsole/);
  await page.getByLabel('用户名').fill('deputy');
  await page.getByLabel('密码').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/console$/);
  await expect(page.getByText('常务副站长')).toBeVisible();
});

test('a wrong password is refused on the login page', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('用户名').fill('deputy');
  await page.getByLabel('密码').fill('wrong');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '用户名或密码错误' })).toBeVisible();
});
