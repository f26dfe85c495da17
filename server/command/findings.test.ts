import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import type { InspectionPlanV1 } from '@/lib/contracts/command';

const ts = withTestServer();
const key = () => `t-${randomUUID()}`;
/** A month no other test file records inspections in, so their counts stay as they expect. */
const MONTH = '2028-02';

let police = '';
let stationId = 0;
let villageCode = '';
/** Events this file reports: closed at the end so that no supervision run elsewhere cards them. */
const events: number[] = [];

const call = caller(() => ts.url);

async function recordInspection(day = `${MONTH}-09`): Promise<number> {
  const r = await call('POST', '/api/v1/inspections', police, {
    kind: 'department_weekly', department: 'police', day, area: '集镇主街—菜场—学校周边', participants: ['民警', '网格员'], requestKey: key(),
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

const finding = (over: Record<string, unknown> = {}) => ({
  v: 1, idempotencyKey: key(), category: 'public_order', title: `巡查发现 ${randomUUID().slice(0, 6)}`, villageCode, ...over,
});

const findingRows = async (inspectionId: number) =>
  (await ts.app.db.query<{ eventId: number }>(`SELECT event_id AS "eventId" FROM inspection_findings WHERE inspection_id = $1 ORDER BY event_id`, [inspectionId])).rows;

beforeAll(async () => {
  police = await login(ts.url, 'police');
  const { rows } = await ts.app.db.query<{ stationId: number; villageCode: string }>(
    `SELECT a.station_id AS "stationId", sv.village_code AS "villageCode"
       FROM accounts a JOIN station_villages sv ON sv.station_id = a.station_id
      WHERE a.username = 'police' ORDER BY sv.village_code LIMIT 1`,
  );
  ({ stationId, villageCode } = rows[0]);
});

afterAll(async () => {
  if (events.length > 0) await ts.app.db.query(`UPDATE events SET state = 'closed' WHERE id = ANY($1::bigint[])`, [events]);
});

describe('inspection findings enter the system as events (S10, S12)', () => {
  it('a finding becomes a field event of the station, listed under its inspection; a retry returns the same event', async () => {
    const inspectionId = await recordInspection();
    const body = finding({ description: '夜市占道经营，消防通道堵塞' });
    const r = await call('POST', `/api/v1/inspections/${inspectionId}/findings`, police, body);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ eventId: expect.any(Number), created: true });
    const eventId: number = r.body.eventId;
    events.push(eventId);

    const { rows } = await ts.app.db.query(
      `SELECT e.source, e.category, e.title, e.village_code AS "villageCode", e.station_id AS "stationId", a.username AS reporter
         FROM events e LEFT JOIN event_log l ON l.event_id = e.id AND l.to_state = 'reported' LEFT JOIN accounts a ON a.id = l.actor_id
        WHERE e.id = $1`,
      [eventId],
    );
    expect(rows[0]).toEqual({ source: 'field', category: 'public_order', title: body.title, villageCode, stationId, reporter: 'police' });

    const plan = async () => (await call('GET', `/api/v1/inspections/plan?month=${MONTH}`, police)).body as InspectionPlanV1;
    const listed = (await plan()).inspections.find((i) => i.id === inspectionId);
    // Numbers, not strings: bigint[] is parsed like bigint (server/db/pool.ts).
    expect(listed?.findings).toEqual([eventId]);

    // The same key again (a retry after a lost answer): the first event, 200, and still one finding.
    const again = await call('POST', `/api/v1/inspections/${inspectionId}/findings`, police, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ eventId, created: false });
    expect(await findingRows(inspectionId)).toEqual([{ eventId }]);
    const audits = await ts.app.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'inspection.finding' AND target = $1`, [`inspection:${inspectionId}`]);
    expect(audits.rows[0].n).toBe(1);
    expect((await ts.app.db.query(`SELECT count(*)::int AS n FROM events WHERE source = 'field' AND idempotency_key = $1`, [body.idempotencyKey])).rows[0].n).toBe(1);

    // A second finding, by address this time, is a second event under the same inspection.
    const second = await call('POST', `/api/v1/inspections/${inspectionId}/findings`, police, finding({ villageCode: undefined, location: undefined, address: await addressOf(villageCode) }));
    expect(second.status).toBe(201);
    events.push(second.body.eventId);
    expect((await plan()).inspections.find((i) => i.id === inspectionId)?.findings).toEqual([eventId, second.body.eventId].sort((a, b) => a - b));
  });

  it('names the field of a bad report and makes no event of it', async () => {
    const inspectionId = await recordInspection();
    const nowhere = await call('POST', `/api/v1/inspections/${inspectionId}/findings`, police, finding({ villageCode: undefined }));
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.issues[0].path).toBe('body.location');
    const category = await call('POST', `/api/v1/inspections/${inspectionId}/findings`, police, finding({ category: 'no_such_category' }));
    expect(category.status).toBe(422);
    expect(category.body.issues[0].path).toBe('body.category');
    expect((await call('POST', `/api/v1/inspections/abc/findings`, police, finding())).status).toBe(400);
    expect((await call('POST', `/api/v1/inspections/999999999/findings`, police, finding())).status).toBe(404);
    expect(await findingRows(inspectionId)).toEqual([]);
  });

  it('refuses a role that does not inspect (403) and another station’s inspection (403), recording nothing', async () => {
    const inspectionId = await recordInspection();
    const volunteer = await login(ts.url, 'volunteer');
    const body = finding();
    const denied = await call('POST', `/api/v1/inspections/${inspectionId}/findings`, volunteer, body);
    expect(denied.status).toBe(403);
    expect((await call('POST', `/api/v1/inspections/${inspectionId}/findings`, '', finding())).status).toBe(401);

    const { rows } = await ts.app.db.query<{ id: number }>(
      `INSERT INTO inspections (station_id, kind, department_code, day, area, participants)
       VALUES ((SELECT id FROM stations WHERE id <> $1 ORDER BY id LIMIT 1), 'station_monthly', NULL, $2, '他站巡查', ARRAY['他站人员']) RETURNING id`,
      [stationId, `${MONTH}-10`],
    );
    const other = rows[0].id;
    try {
      const foreign = await call('POST', `/api/v1/inspections/${other}/findings`, police, finding());
      expect(foreign.status).toBe(403);
      expect(await findingRows(other)).toEqual([]);
    } finally {
      await ts.app.db.query(`DELETE FROM inspections WHERE id = $1`, [other]);
    }
    expect(await findingRows(inspectionId)).toEqual([]);
    expect((await ts.app.db.query(`SELECT count(*)::int AS n FROM events WHERE idempotency_key = $1`, [body.idempotencyKey])).rows[0].n).toBe(0);
  });
});

/** An address the server places in the village by name: "<town><village>". */
async function addressOf(code: string): Promise<string> {
  const { rows } = await ts.app.db.query<{ address: string }>(
    `SELECT t.name || v.name || '农贸市场门口' AS address FROM regions v JOIN regions t ON t.code = v.parent_code WHERE v.code = $1`,
    [code],
  );
  return rows[0].address;
}
