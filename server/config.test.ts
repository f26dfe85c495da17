import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_DISPLAY_TOKEN, DEMO_SESSION_SECRET, loadConfig } from './config';

const REAL = {
  LIANDONG_MODE: 'production',
  DATABASE_URL: 'postgres://db.example/liandong',
  SESSION_SECRET: 'a'.repeat(40),
  DISPLAY_TOKEN: 'b'.repeat(20),
};

describe('configuration', () => {
  it('a demo start needs nothing and uses the demo secrets', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ mode: 'demo', sessionSecret: DEMO_SESSION_SECRET, displayToken: DEMO_DISPLAY_TOKEN, port: 3000 });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('a production start with real secrets is accepted', () => {
    expect(loadConfig(REAL)).toMatchObject({ mode: 'production', sessionSecret: REAL.SESSION_SECRET });
  });

  it.each([
    ['no session secret', { SESSION_SECRET: undefined }, /SESSION_SECRET/],
    ['the demo session secret', { SESSION_SECRET: DEMO_SESSION_SECRET }, /SESSION_SECRET/],
    ['the demo display token', { DISPLAY_TOKEN: DEMO_DISPLAY_TOKEN }, /DISPLAY_TOKEN/],
    ['the embedded database', { DATABASE_URL: undefined }, /DATABASE_URL/],
  ])('a production start refuses %s and says how to fix it', (_name, change, message) => {
    expect(() => loadConfig({ ...REAL, ...change })).toThrow(ConfigError);
    expect(() => loadConfig({ ...REAL, ...change })).toThrow(message);
  });

  it('has no basemap by default, reads one, and names the basemap setting at fault (issue 13)', () => {
    expect(loadConfig({}).basemap).toEqual({ kind: 'none' });
    expect(loadConfig({ BASEMAP_PMTILES: 'a.pmtiles', BASEMAP_DATUM: 'wgs84' }).basemap).toMatchObject({ kind: 'pmtiles', file: 'a.pmtiles' });
    expect(() => loadConfig({ BASEMAP_PMTILES: 'a.pmtiles' })).toThrow(/BASEMAP_DATUM: required/);
    expect(() => loadConfig({ BASEMAP_URL: 'https://h/{z}/{x}/{y}.png', BASEMAP_DATUM: 'gcj02' })).toThrow(/BASEMAP_DATUM: gcj02 is refused/);
    expect(() => loadConfig({ ...REAL, BASEMAP_URL: 'http://h/{z}/{x}/{y}.png', BASEMAP_DATUM: 'wgs84' })).toThrow(/BASEMAP_URL: must be https: in production/);
  });

  it('names the variable at fault', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('keeps 90 days of raw position history unless told otherwise, and only a sensible number of days', () => {
    expect(loadConfig({}).positionsKeepDays).toBe(90);
    expect(loadConfig({ POSITIONS_KEEP_DAYS: '7' }).positionsKeepDays).toBe(7);
    for (const bad of ['0', '-1', '1.5', 'month', '3651']) expect(() => loadConfig({ POSITIONS_KEEP_DAYS: bad })).toThrow(/POSITIONS_KEEP_DAYS/);
  });

  it('keeps thinned position history two years unless told otherwise, and never shorter than the raw fixes', () => {
    expect(loadConfig({}).positionsThinKeepDays).toBe(730);
    expect(loadConfig({ POSITIONS_KEEP_DAYS: '7', POSITIONS_THIN_KEEP_DAYS: '7' }).positionsThinKeepDays).toBe(7);
    expect(() => loadConfig({ POSITIONS_THIN_KEEP_DAYS: '89' })).toThrow(/POSITIONS_THIN_KEEP_DAYS: must be at least POSITIONS_KEEP_DAYS/);
    expect(() => loadConfig({ POSITIONS_KEEP_DAYS: '800' })).toThrow(/POSITIONS_THIN_KEEP_DAYS/);
    for (const bad of ['0', '1.5', 'two years', '7301']) expect(() => loadConfig({ POSITIONS_THIN_KEEP_DAYS: bad })).toThrow(/POSITIONS_THIN_KEEP_DAYS/);
  });

  it('reads a metrics token, refuses a short one, and has none by default (administrators only)', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32));
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('refuses a log level pino does not know', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'debug' })).not.toThrow();
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
  });
});
