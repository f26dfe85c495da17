import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, withTestServer } from '../test/server';

/* Issue 12: 上岗 / 下岗 from the phone: a 'field' shift, audited, retries changing nothing. */

const ts = withTestServer(`duty:${process.pid}:`);
let gridder = '';
let chief = '';

async function duty(cookie: string, body?: unknown) {
  const res = await fetch(`${ts.url}/api/v1/duty`, {
    method: body ? 'POST' : 'GET',
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  [gridder, chief] = await Promise.all([login(ts.url, 'gridder'), login(ts.url, 'chief')]);
  // Whatever another file left open for the gridder's unit.
  await ts.app.db.query(
    `UPDATE duty_shifts SET ended_at = greatest(started_at, now()) WHERE ended_at IS NULL AND unit_id = (SELECT u.id FROM units u JOIN accounts a ON a.person_id = u.person_id WHERE a.username = 'gridder')`,
  );
});

describe('duty routes (issue 12)', () => {
  it('goes on and off duty, once each however often retried, and audits each change', async () => {
    const off = await duty(gridder);
    expect(off).toMatchObject({ status: 200, body: { onDuty: false, since: null, source: null, unit: { code: expect.any(String) } } });
    const unitId: number = off.body.unit.id;

    const onKey = `duty-${randomUUID()}`;
    const on = await duty(gridder, { onDuty: true, requestKey: onKey });
    expect(on).toMatchObject({ status: 200, body: { onDuty: true, source: 'field', since: expect.stringMatching(/Z$/) } });
    expect((await duty(gridder, { onDuty: true, requestKey: onKey })).body).toEqual(on.body);
    expect((await duty(gridder)).body).toEqual(on.body);

    const offKey = `duty-${randomUUID()}`;
    expect((await duty(gridder, { onDuty: false, requestKey: offKey })).body).toMatchObject({ onDuty: false });
    // The 上岗 whose answer was lost, arriving again after the 下岗: it does not put the gridder back on duty.
    expect((await duty(gridder, { onDuty: true, requestKey: onKey })).body).toMatchObject({ onDuty: false });

    const { rows: shifts } = await ts.app.db.query(`SELECT source, ended_at IS NOT NULL AS ended FROM duty_shifts WHERE unit_id = $1 AND started_at >= $2`, [unitId, on.body.since]);
    expect(shifts).toEqual([{ source: 'field', ended: true }]);
    const { rows: audit } = await ts.app.db.query(
      `SELECT l.action, a.username FROM audit_log l JOIN accounts a ON a.id = l.account_id WHERE l.target = $1 AND l.detail->>'requestKey' IN ($2, $3) ORDER BY l.id`,
      [`unit:${unitId}`, onKey, offKey],
    );
    // One row per press, the retries none.
    expect(audit).toEqual([{ action: 'duty.start', username: 'gridder' }, { action: 'duty.end', username: 'gridder' }]);
  });

  it('a press that changed nothing is known by its key too: its late retry after a 下岗 does not act', async () => {
    const first = `duty-${randomUUID()}`;
    expect((await duty(gridder, { onDuty: true, requestKey: first })).body).toMatchObject({ onDuty: true });
    // A double tap: already on duty, this one changes nothing — and is recorded.
    const tap = `duty-${randomUUID()}`;
    expect((await duty(gridder, { onDuty: true, requestKey: tap })).body).toMatchObject({ onDuty: true });
    expect((await duty(gridder, { onDuty: false, requestKey: `duty-${randomUUID()}` })).body).toMatchObject({ onDuty: false });
    // The phone's queue sends the double tap again.
    expect((await duty(gridder, { onDuty: true, requestKey: tap })).body).toMatchObject({ onDuty: false });
  });

  it("takes over a tracker's open shift on 上岗", async () => {
    const { rows } = await ts.app.db.query<{ id: number }>(`SELECT u.id FROM units u JOIN accounts a ON a.person_id = u.person_id WHERE a.username = 'gridder'`);
    await ts.app.db.query(`INSERT INTO duty_shifts (unit_id, started_at, source) VALUES ($1, now() - interval '1 hour', 'device')`, [rows[0].id]);
    const on = await duty(gridder, { onDuty: true, requestKey: `duty-${randomUUID()}` });
    expect(on.body).toMatchObject({ onDuty: true, source: 'field' });
    const { rows: open } = await ts.app.db.query(`SELECT source FROM duty_shifts WHERE unit_id = $1 AND ended_at IS NULL`, [rows[0].id]);
    expect(open).toEqual([{ source: 'field' }]);
    await duty(gridder, { onDuty: false, requestKey: `duty-${randomUUID()}` });
  });

  it('answers an account without a unit: nothing to report', async () => {
    expect((await duty(chief)).body).toEqual({ unit: null, onDuty: false, since: null, source: null });
    const r = await duty(chief, { onDuty: true, requestKey: `duty-${randomUUID()}` });
    expect(r).toMatchObject({ status: 409, body: { error: 'no_unit' } });
  });
});
