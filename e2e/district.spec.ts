import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { foreign, recordRequests } from './airgap';
import { DESK, fixOnWall, PHONE, wallLive } from './screens';

/*
 * Issue 10's acceptance: a district puts the system into service from nothing. A production server
 * of its own on an empty database (only the geography imported), the first administrator from the
 * setup link, then everything else through the /admin page as people would do it.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PORT = 3295;
const BASE = `http://localhost:${PORT}`;
const SERVER = 'postgres://postgres@127.0.0.1:5432';
const DB_NAME = `liandong_e2e_district_${process.pid}`;
const BUS_PREFIX = `e2e-district-${process.pid}:`;
const PASSWORD = 'correct-horse-battery';
const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  LIANDONG_MODE: 'production',
  DATABASE_URL: `${SERVER}/${DB_NAME}`,
  REDIS_URL: 'redis://127.0.0.1:6379',
  BUS_PREFIX,
  SESSION_SECRET: randomBytes(32).toString('hex'),
  DISPLAY_TOKEN: randomBytes(16).toString('hex'),
  PORT: String(PORT),
};

let server: ChildProcess | undefined;
let dataDir = '';
let log = '';
let setupPath = '';

async function onServer(sql: string, database = 'postgres', values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: `${SERVER}/${database}` });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'liandong-district-'));
  ENV.DATA_DIR = dataDir;
  await onServer(`CREATE DATABASE ${DB_NAME}`);
  // A deployment imports its geography level by level, each after its parent (README, Geography).
  for (const [file, level] of [['district', 'district'], ['towns', 'town'], ['villages', 'village'], ['grids', 'grid']]) {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/geo/import-cli.ts', `geo/out/${file}.geojson`, '--level', level], { cwd: ROOT, env: ENV });
  }
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env: ENV });
  server.stdout?.on('data', (d: Buffer) => (log += d));
  server.stderr?.on('data', (d: Buffer) => (log += d));
  const exited = new Promise<never>((_, reject) => server?.once('exit', (code) => reject(new Error(`server exited ${code}:\n${log}`))));
  const link = new Promise<string>((resolve) => {
    const look = () => {
      const m = /no administrator yet: open http:\/\/<this host>:\d+(\/setup\?token=\S+)/.exec(log);
      if (m) resolve(m[1]);
      else setTimeout(look, 200);
    };
    look();
  });
  exited.catch(() => undefined); // stopping it in afterAll is no failure
  setupPath = await Promise.race([link, exited]);
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const gone = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await gone;
  }
  await onServer(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    for (let cursor = '0'; ; ) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${BUS_PREFIX}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      if ((cursor = next) === '0') break;
    }
  } finally {
    redis.disconnect();
  }
  await rm(dataDir, { recursive: true, force: true });
});

type Region = { properties: { code: string; name: string; parentCode: string | null } };

async function screen(browser: Browser, options: Parameters<Browser['newContext']>[0], urls: string[][]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options, baseURL: BASE });
  const page = await context.newPage();
  urls.push(recordRequests(page));
  return { context, page };
}

/** The secret shown once by the form just submitted; closing it is the user saying it is saved. */
async function takeSecret(page: Page): Promise<string> {
  const value = await page.getByTestId('secret-value').inputValue();
  expect(value.length).toBeGreaterThan(20);
  await page.getByRole('button', { name: '我已保存，关闭' }).click();
  return value;
}

test('a district puts itself into service: setup, stations, roster, gridder, devices, walls, and sign-out in a second', async ({ browser }) => {
  test.setTimeout(300_000);
  const urls: string[][] = [];

  // The administrator opens the link the server printed and creates the first administrator.
  const { context: desk, page: admin } = await screen(browser, DESK, urls);
  await admin.goto(setupPath);
  await admin.fill('input[name=displayName]', '区系统管理员');
  await admin.fill('input[name=username]', 'district.admin');
  await admin.fill('input[name=password]', PASSWORD);
  await admin.fill('input[name=again]', PASSWORD);
  await admin.getByRole('button', { name: '创建并登录' }).click();
  await admin.waitForURL('**/admin');

  // A town with six villages: three for our station, three for its neighbour.
  const villages = ((await (await admin.request.get('/api/v1/regions?level=village')).json()) as { features: Region[] }).features;
  const byTown = new Map<string, Region[]>();
  for (const v of villages) byTown.set(v.properties.parentCode!, [...(byTown.get(v.properties.parentCode!) ?? []), v]);
  const [townCode, inTown] = [...byTown].find(([, vs]) => vs.length >= 6)!;
  const ours = inTown.slice(0, 3).map((v) => v.properties.code);
  const theirs = inTown.slice(3, 6).map((v) => v.properties.code);

  // Station one, through the page.
  await admin.getByTestId('tab-stations').click();
  await admin.getByRole('button', { name: '新建工作站' }).click();
  const form = admin.getByRole('form', { name: '新建工作站' });
  await form.locator('input[name=code]').fill('ST01');
  await form.locator('input[name=name]').fill('试点一站');
  await form.locator('select[name=townCode]').selectOption(townCode);
  for (const code of ours) await form.locator(`input[type=checkbox][value="${code}"]`).check();
  await form.getByRole('button', { name: '取所选村（社区）的中心' }).click();
  await expect(form.locator('input[name=lon]')).not.toHaveValue('');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(admin.getByRole('cell', { name: '试点一站' })).toBeVisible();

  // Station two over the neighbouring villages, through the API; the page shows them taken.
  const stations = async () => ((await (await admin.request.get('/api/v1/stations')).json()) as { features: { properties: { id: number; name: string }; geometry: { coordinates: [number, number] } }[] }).features;
  const one = (await stations()).find((s) => s.properties.name === '试点一站')!;
  const [lon, lat] = one.geometry.coordinates;
  const made = await admin.request.post('/api/v1/stations', { data: { code: 'ST02', name: '试点二站', townCode, lon, lat, villageCodes: theirs } });
  expect(made.status(), await made.text()).toBe(201);
  const stationOne = one.properties.id;

  // People: a justice officer (部门人员 of 司法) and a full-time gridder on a grid of the station.
  await admin.getByTestId('tab-people').click();
  await admin.getByLabel('选择工作站').selectOption({ label: '试点一站' });
  await admin.getByRole('button', { name: '添加人员' }).click();
  let person = admin.getByRole('form', { name: '添加人员' });
  await person.locator('input[name=name]').fill('司法员张');
  await person.locator('input[name=phone]').fill('13800001111');
  await person.locator('select[name=department]').selectOption('justice');
  await person.getByLabel('部门人员', { exact: true }).check();
  await person.getByRole('button', { name: '保存' }).click();
  await expect(admin.locator('tr[data-person="司法员张"]')).toBeVisible();

  await admin.getByRole('button', { name: '添加人员' }).click();
  person = admin.getByRole('form', { name: '添加人员' });
  await person.locator('input[name=name]').fill('网格员李');
  await person.locator('input[name=phone]').fill('13900002222');
  await person.getByLabel('专职网格员', { exact: true }).check();
  await person.getByLabel('专职网格员 网格').selectOption({ index: 1 });
  await person.getByRole('button', { name: '保存' }).click();
  const gridderRow = admin.locator('tr[data-person="网格员李"]');
  await expect(gridderRow).toBeVisible();
  await gridderRow.getByRole('button', { name: '开通账号' }).click();
  const account = admin.getByRole('form', { name: '为 网格员李 开通账号' });
  await account.locator('input[name=username]').fill('gridder.li');
  await account.locator('input[name=password]').fill(PASSWORD);
  await account.getByRole('button', { name: '开通' }).click();
  await expect(admin.locator('[data-account="gridder.li"]')).toBeVisible();
  const people = (await (await admin.request.get(`/api/v1/people?station=${stationOne}`)).json()) as { name: string; roles: { gridCode: string | null }[] }[];
  const gridCode = people.find((p) => p.name === '网格员李')!.roles[0].gridCode!;
  expect(gridCode).toBeTruthy();

  // Justice rotates into the station this week, and the officer is on duty today.
  await admin.getByTestId('tab-duty').click();
  await admin.getByLabel('选择工作站').selectOption({ label: '试点一站' });
  await admin.getByLabel('司法 进驻方式').selectOption('rotating');
  const rotation = admin.getByRole('form', { name: '添加轮驻' });
  await rotation.locator('select[name=department]').selectOption('justice');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const noon = (day: string, n: number) => new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const monday = noon(today, -((new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7));
  await rotation.locator('input[name=startsAt]').fill(`${monday}T08:00`);
  await rotation.locator('input[name=endsAt]').fill(`${noon(monday, 6)}T20:00`);
  await rotation.getByRole('button', { name: '添加轮驻' }).click();
  await expect(admin.getByRole('table', { name: '轮驻安排' }).getByRole('cell', { name: '司法' })).toBeVisible();
  const duty = admin.getByLabel(`${today} 司法 司法员张`);
  await duty.click(); // saved, then shown ticked from the server's answer
  await expect(duty).toBeChecked();
  const setup = (await (await admin.request.get(`/api/v1/stations/${stationOne}/setup`)).json()) as { roster: { day: string; department: string; name: string }[]; rotations: unknown[] };
  expect(setup.roster).toContainEqual(expect.objectContaining({ day: today, department: 'justice', name: '司法员张' }));
  expect(setup.rotations).toHaveLength(1);

  // The gridder's unit, its device token, and a wall for each station: secrets read off the page.
  await admin.getByTestId('tab-devices').click();
  await admin.getByLabel('选择工作站').selectOption({ label: '试点一站' });
  await admin.getByRole('button', { name: '添加单位' }).click();
  const unitForm = admin.getByRole('form', { name: '添加单位' });
  await unitForm.locator('input[name=code]').fill('GRID-LI');
  await unitForm.locator('input[name=name]').fill('网格员李巡查');
  await unitForm.locator('select[name=personId]').selectOption({ label: '网格员李' });
  await unitForm.getByRole('button', { name: '添加' }).click();
  await expect(admin.getByRole('table', { name: '单位' }).getByRole('cell', { name: 'GRID-LI' })).toBeVisible();

  const tokenForm = admin.getByRole('form', { name: '签发设备令牌' });
  await tokenForm.locator('input[name=name]').fill('李的定位终端');
  await tokenForm.locator('select[name=choice]').selectOption({ label: '单位 网格员李巡查（GRID-LI）' });
  await tokenForm.getByRole('button', { name: '签发设备令牌' }).click();
  const deviceToken = await takeSecret(admin);

  const wallLink = async (name: string) => {
    const f = admin.getByRole('form', { name: '签发大屏链接' });
    await f.locator('input[name=name]').fill(name);
    await f.locator('select[name=choice]').selectOption('station');
    await f.getByRole('button', { name: '签发大屏链接' }).click();
    return takeSecret(admin);
  };
  const wallOne = await wallLink('一站指挥大屏');
  expect(wallOne).toMatch(new RegExp(`^${BASE}/wall\\?display=`));
  await admin.getByLabel('选择工作站').selectOption({ label: '试点二站' });
  const wallTwo = await wallLink('二站指挥大屏');
  await admin.getByLabel('选择工作站').selectOption({ label: '试点一站' });

  // The gridder signs in on a phone and lands on the field page.
  const { page: phone } = await screen(browser, { ...PHONE, isMobile: true }, urls);
  await phone.goto('/login');
  await phone.fill('input[name=username]', 'gridder.li');
  await phone.fill('input[name=password]', PASSWORD);
  await phone.getByRole('button', { name: '登录' }).click();
  await phone.waitForURL('**/field');

  // Both stations' walls open from their links.
  const { page: one1 } = await screen(browser, DESK, urls);
  const { page: two2 } = await screen(browser, DESK, urls);
  await Promise.all([one1.goto(wallOne), two2.goto(wallTwo)]);
  await Promise.all([wallLive(one1), wallLive(two2)]);

  // The device reports from inside the gridder's grid: station one's wall shows it, station two's does not.
  // A point inside the grid, as PostGIS finds one, on the wire's 1e-6° lattice (positions travel as integers).
  const { rows: inGrid } = await onServer(
    `SELECT round(ST_X(p)::numeric, 6)::float8 AS lon, round(ST_Y(p)::numeric, 6)::float8 AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM regions WHERE code = $1) x`,
    DB_NAME,
    [gridCode],
  );
  const at = inGrid[0] as { lon: number; lat: number };
  const units = (await (await admin.request.get(`/api/v1/admin/units?station=${stationOne}`)).json()) as { id: number; code: string }[];
  const unitId = units.find((u) => u.code === 'GRID-LI')!.id;
  const fix = { ...at, t: Date.now() };
  const sent = Date.now();
  const res = await admin.request.post('/api/v1/positions', {
    headers: { authorization: `Bearer ${deviceToken}` },
    data: { v: 1, positions: [{ unit: 'GRID-LI', t: fix.t, lon: fix.lon, lat: fix.lat }] },
  });
  expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] });
  await expect.poll(() => fixOnWall(one1, unitId), { timeout: 15_000, intervals: [50] }).toEqual(fix);
  const onWall = Date.now() - sent;
  // The other wall has had the same tick's time and more to show it; it must not.
  await one1.waitForTimeout(1500);
  expect(await fixOnWall(two2, unitId)).toBeNull();
  expect(await two2.evaluate(() => window.__wall!.store!.getState().connected)).toBe(true);

  // The administrator disables the gridder's account: the phone is back on the login page within a second.
  let leftAt = 0;
  phone.on('framenavigated', (f) => {
    if (f === phone.mainFrame() && new URL(f.url()).pathname === '/login' && !leftAt) leftAt = Date.now();
  });
  await admin.getByTestId('tab-people').click();
  await admin.getByLabel('选择工作站').selectOption({ label: '试点一站' });
  admin.once('dialog', (d) => void d.accept());
  const line = admin.locator('[data-account="gridder.li"]');
  // The clock starts when the button is there to press, not while the tab loads.
  await expect(line.getByRole('button', { name: '停用' })).toBeEnabled();
  const answered = admin.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/v1/accounts/'));
  const clicked = Date.now();
  await line.getByRole('button', { name: '停用' }).click();
  const response = await answered;
  const answer = Date.now();
  expect(response.status()).toBe(200);
  await phone.waitForURL(/\/login/, { timeout: 10_000 });
  await expect.poll(() => leftAt).toBeGreaterThan(0);
  const fromClick = leftAt - clicked;
  const fromAnswer = leftAt - answer;
  console.log(`[district] position on the station wall ${onWall} ms after the POST; phone on /login ${fromClick} ms after the click (answered ${answer - clicked} ms after the click; ${fromAnswer} ms after the answer)`);
  expect(fromAnswer).toBeLessThanOrEqual(1000);
  await expect(line.getByText('已停用', { exact: true })).toBeVisible();

  // No screen asked any host but the district's own server.
  expect(urls.flatMap((u) => foreign(u, BASE))).toEqual([]);
  await desk.close();
});
