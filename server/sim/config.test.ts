import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';

const PRODUCTION = {
  LIANDONG_MODE: 'production',
  DATABASE_URL: 'postgres://db.example/liandong',
  SESSION_SECRET: 'a'.repeat(40),
  DISPLAY_TOKEN: 'b'.repeat(20),
};

describe('simulator configuration', () => {
  it('simulates in demo mode by default, with the documented sizes', () => {
    expect(loadConfig({})).toMatchObject({ simulate: true, sim: { reportMs: 5000, incidentsPerHour: 40, speedup: 1, backfillDays: 30 } });
  });

  it('SIMULATE=0 turns it off; production never simulates', () => {
    expect(loadConfig({ SIMULATE: '0' }).simulate).toBe(false);
    expect(loadConfig({ ...PRODUCTION, SIMULATE: '1' }).simulate).toBe(false);
  });

  it('reads the sizes and refuses nonsense', () => {
    expect(loadConfig({ SIM_REPORT_MS: '1000', SIM_INCIDENTS_PER_HOUR: '120', SIM_SPEEDUP: '2.5', SIM_BACKFILL_DAYS: '0' }).sim).toEqual({
      reportMs: 1000, incidentsPerHour: 120, speedup: 2.5, backfillDays: 0,
    });
    expect(() => loadConfig({ SIM_SPEEDUP: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ SIMULATE: 'yes' })).toThrow(/SIMULATE/);
  });
});
