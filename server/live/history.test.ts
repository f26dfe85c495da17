import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AcceptedPosition } from '@/lib/live/validate';
import { createMemoryBus } from '../bus/memory';
import { Unavailable } from '../errors';
import { testDb } from '../test/db';
import { districtArea } from './area';
import { HistoryWriter } from './history';
import { PositionIngest } from './ingest';
import { LatestFixes } from './latest';
import { UnitDirectory } from './units';

const db = testDb();
// An hour ago, at a millisecond of its own, so the rows of this file are found (and removed) by their time.
const BASE = Date.now() - 3600_000 - Math.floor(Math.random() * 60_000);
const times: number[] = [];
let units: { id: number; code: string }[] = [];

function fix(unitId: number, extra: Partial<AcceptedPosition> = {}): AcceptedPosition {
  const t = BASE + times.length;
  times.push(t);
  return { unitId, t, lon: 120.3, lat: 30.8, speed: 1.5, heading: 90, accuracy: 8, latest: true, ...extra };
}

/** The writer's logger, counting what it says. */
function quiet() {
  return { error: vi.fn(), warn: vi.fn() };
}

async function stored(rows: readonly AcceptedPosition[]): Promise<number> {
  const { rows: r } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM positions p
       JOIN unnest($1::int[], $2::float8[]) AS x(u, t) ON p.unit_id = x.u AND p.at = to_timestamp(x.t / 1000.0)`,
    [rows.map((p) => p.unitId), rows.map((p) => p.t)],
  );
  return r[0].n;
}

async function setAsideRows(): Promise<{ raw: { unitId: number; speed: number }; error: string }[]> {
  const { rows } = await db.query<{ raw: { unitId: number; speed: number }; error: string }>(
    `SELECT raw, error FROM positions_set_aside WHERE (raw->>'t')::float8 = ANY($1::float8[]) ORDER BY raw->>'t'`,
    [times],
  );
  return rows;
}

beforeAll(async () => {
  units = (await db.query<{ id: number; code: string }>(`SELECT id, code FROM units ORDER BY id LIMIT 3`)).rows;
  expect(units).toHaveLength(3);
});

afterEach(() => vi.restoreAllMocks());

afterAll(async () => {
  await db.query(`DELETE FROM positions WHERE at >= to_timestamp($1 / 1000.0) AND at <= to_timestamp($2 / 1000.0)`, [BASE, BASE + times.length]);
  await db.query(`DELETE FROM positions_set_aside WHERE (raw->>'t')::float8 = ANY($1::float8[])`, [times]);
});

describe('position history (issue 11)', () => {
  it('refuses a fix with speed or accuracy 1e39 at the door, naming the field, and writes the rest of its batch', async () => {
    const area = await districtArea(db);
    expect(area).not.toBeNull();
    const lon = (area!.minLon + area!.maxLon) / 2;
    const lat = (area!.minLat + area!.maxLat) / 2;
    const directory = new UnitDirectory(db);
    await directory.load();
    const history = new HistoryWriter(db);
    const ingest = new PositionIngest(createMemoryBus(`history-test:${process.pid}:`), directory, new LatestFixes(), history, area);
    const [a, b] = units;
    const t = BASE + times.length;
    times.push(t, t + 1);

    const r = await ingest.ingest([
      { unit: a.code, t, lon, lat, speed: 1e39, accuracy: 1e39 },
      { unit: b.code, t: t + 1, lon, lat, accuracy: 1e39 },
      { unit: b.code, t, lon, lat, speed: 3, accuracy: 5 },
    ]);
    expect(r.rejected).toEqual([
      { index: 0, reason: 'malformed', message: expect.stringMatching(/^speed: /) },
      { index: 1, reason: 'malformed', message: expect.stringMatching(/^accuracy: /) },
    ]);
    expect(r.accepted).toBe(1);
    await history.flush();
    expect(history).toMatchObject({ written: 1, failed: 0, setAside: 0, pending: 0 });
  });

  it('sets aside a row PostgreSQL refuses and keeps writing every other unit, batch after batch', async () => {
    const log = quiet();
    const history = new HistoryWriter(db, { log });
    const [a, b, c] = units;
    // Past the contract's bound, as a source inside the process could still hand it over: PostgreSQL refuses it for the `real` column.
    const first = [fix(a.id), fix(b.id, { speed: 1e39 }), fix(b.id), fix(c.id)];
    const firstAcked = history.add(first);
    await history.flush();
    expect(history).toMatchObject({ written: 3, failed: 0, setAside: 1, dropped: 0, pending: 0 });
    expect(await stored(first)).toBe(3);
    expect(await setAsideRows()).toEqual([{ raw: expect.objectContaining({ unitId: b.id, speed: 1e39 }), error: expect.stringMatching(/^22003 .*out of range for type real/) }]);

    // Once refused, never retried: the next flushes write their own rows at once.
    const second = [fix(c.id), fix(a.id, { accuracy: 1e39 }), fix(a.id)];
    const secondAcked = history.add(second);
    await history.flush();
    const third = [fix(a.id), fix(b.id), fix(c.id)];
    const thirdAcked = history.add(third);
    await history.flush();
    // Acknowledged once committed, or set aside: each report's promise settles with its flush.
    await Promise.all([firstAcked, secondAcked, thirdAcked]);
    expect(history).toMatchObject({ written: 8, failed: 0, setAside: 2, pending: 0 });
    expect(await stored([...second, ...third])).toBe(5);
    // Logged once for the reason, not once per row or per flush.
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ sqlstate: '22003' }), expect.stringContaining('positions_set_aside'));
  });

  it('keeps the rows for the next flush while the database cannot be reached', async () => {
    const log = quiet();
    const history = new HistoryWriter(db, { log });
    const rows = [fix(units[0].id), fix(units[1].id)];
    const acked = history.add(rows);
    vi.spyOn(db, 'query').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    await history.flush();
    expect(history).toMatchObject({ written: 0, failed: 1, setAside: 0, pending: 2 });
    // Not acknowledged: the source sends them again, and the unique (unit, time) keeps one of each.
    await expect(acked).rejects.toBeInstanceOf(Unavailable);
    const again = history.add(rows);
    await expect(again).rejects.toBeInstanceOf(Unavailable);
    expect(history.pending).toBe(4);
    await history.flush();
    expect(history).toMatchObject({ written: 2, failed: 1, pending: 0 });
    expect(await stored(rows)).toBe(2);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledTimes(1);
  });

  it('bounds what it keeps while the database is away, counting what it drops', async () => {
    const log = quiet();
    const history = new HistoryWriter(db, { maxBuffer: 3, log });
    vi.spyOn(db, 'query').mockRejectedValue(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }));
    const refused = history.add([fix(units[0].id), fix(units[0].id)]);
    await history.flush();
    await expect(refused).rejects.toBeInstanceOf(Unavailable);
    await expect(history.add([fix(units[1].id), fix(units[1].id), fix(units[1].id)])).rejects.toBeInstanceOf(Unavailable);
    await history.flush();
    expect(history).toMatchObject({ written: 0, failed: 2, dropped: 2, pending: 3 });
    // Said once when the outage starts and once when dropping starts, not every second.
    await expect(history.add([fix(units[2].id)])).rejects.toBeInstanceOf(Unavailable);
    await history.flush();
    expect(history).toMatchObject({ failed: 3, dropped: 3, pending: 3 });
    expect(log.error).toHaveBeenCalledTimes(2);
  });
});
