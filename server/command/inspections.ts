import { z } from 'zod';
import { compliance, requiredInspections, type KeyPeriod } from '@/lib/command/inspections';
import type { InspectionInput, InspectionPlanV1, InspectionRow, KeyPeriodInput } from '@/lib/contracts/command';
import type { EventReportV1 } from '@/lib/contracts/events';
import type { AppContext } from '../context';
import { inTransaction } from '../db/pool';
import { reportEvent } from '../events/report';
import type { StaffActor } from '../events/viewer';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';
import { claimRequest, finishRequest } from './requests';

type App = Pick<AppContext, 'db' | 'bus' | 'reference'>;

/** Key periods of a station (and the district-wide ones) overlapping [from, to]. */
export async function keyPeriodsOf(db: AppContext['db'], stationId: number | null, from: string, to: string): Promise<(KeyPeriod & { id: number; stationId: number | null })[]> {
  const { rows } = await db.query<KeyPeriod & { id: number; stationId: number | null }>(
    `SELECT id, name, to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn", station_id AS "stationId"
       FROM key_periods WHERE (station_id IS NULL OR $1::int IS NULL OR station_id = $1) AND starts_on <= $3::date AND ends_on >= $2::date
      ORDER BY starts_on`,
    [stationId, from, to],
  );
  return rows;
}

/** S10: what the month requires of the station, given its resident departments and key periods, and what was done. */
export async function inspectionPlan(app: App, stationId: number, month: string): Promise<InspectionPlanV1> {
  const ref = await app.reference.get();
  // Windows of a month's weeks reach a few days into the neighbouring months.
  const from = `${month}-01`;
  const { rows: span } = await app.db.query<{ from: string; to: string }>(
    `SELECT to_char($1::date - 7, 'YYYY-MM-DD') AS from, to_char(($1::date + interval '1 month' + interval '6 days')::date, 'YYYY-MM-DD') AS to`,
    [from],
  );
  const periods = await keyPeriodsOf(app.db, stationId, span[0].from, span[0].to);
  const { rows: resident } = await app.db.query<{ code: string }>(
    `SELECT d.code FROM station_departments sd JOIN departments d ON d.id = sd.department_id
      WHERE sd.station_id = $1 AND sd.residency = 'resident' ORDER BY d.id`,
    [stationId],
  );
  const reqs = requiredInspections(month, resident.map((r) => r.code), periods, ref.calendar);
  const { rows: done } = await app.db.query<InspectionRow>(
    `SELECT i.id, i.kind, i.department_code AS department, to_char(i.day, 'YYYY-MM-DD') AS day, i.area, i.participants,
            ARRAY(SELECT f.event_id FROM inspection_findings f WHERE f.inspection_id = i.id ORDER BY f.event_id) AS findings
       FROM inspections i WHERE i.station_id = $1 AND i.day BETWEEN $2::date AND $3::date ORDER BY i.day, i.id`,
    [stationId, span[0].from, span[0].to],
  );
  return { month, keyPeriods: periods, requirements: compliance(reqs, done), inspections: done.filter((d) => d.day.startsWith(month)) };
}

export async function addKeyPeriod(app: App, actor: StaffActor, input: z.infer<typeof KeyPeriodInput>, ip?: string): Promise<{ id: number }> {
  // A key period of no station would apply to every station's plan (issue 10): only a station's leaders set one.
  if (actor.stationId === null) throw new DomainError('forbidden', 'out_of_scope', '您的账号不属于任何工作站');
  return inTransaction(app.db, async (tx) => {
    const { replay } = await claimRequest<{ id: number }>(tx, input.requestKey, actor.uid, 'key_period');
    if (replay) return replay;
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO key_periods (station_id, name, starts_on, ends_on, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [actor.stationId, input.name, input.startsOn, input.endsOn, actor.uid],
    );
    await audit(tx, actor, { action: 'key_period.create', target: `key_period:${rows[0].id}`, detail: { name: input.name, startsOn: input.startsOn, endsOn: input.endsOn }, ip });
    await finishRequest(tx, input.requestKey, rows[0]);
    return rows[0];
  });
}

export async function recordInspection(app: App, actor: StaffActor, input: z.infer<typeof InspectionInput>, ip?: string): Promise<{ id: number }> {
  if (actor.stationId === null) throw new DomainError('forbidden', 'out_of_scope', '您不属于任何工作站');
  const ref = await app.reference.get();
  if (input.department !== null && !ref.departments.has(input.department))
    throw new DomainError('unprocessable', 'invalid_reference', `未知的部门：${input.department}`, [{ path: 'body.department', message: '未知的部门' }]);
  return inTransaction(app.db, async (tx) => {
    const { replay } = await claimRequest<{ id: number }>(tx, input.requestKey, actor.uid, 'inspection');
    if (replay) return replay;
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO inspections (station_id, kind, department_code, day, area, participants, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [actor.stationId, input.kind, input.department, input.day, input.area, input.participants, actor.uid],
    );
    await audit(tx, actor, { action: 'inspection.record', target: `inspection:${rows[0].id}`, detail: { kind: input.kind, department: input.department, day: input.day }, ip });
    await finishRequest(tx, input.requestKey, rows[0]);
    return rows[0];
  });
}

/** A finding of an inspection enters the system as an event (S10, S12) and stays linked to it. */
export async function addFinding(app: App, actor: StaffActor, inspectionId: number, report: EventReportV1, ip?: string): Promise<{ eventId: number; created: boolean }> {
  const { rows } = await app.db.query<{ stationId: number }>(`SELECT station_id AS "stationId" FROM inspections WHERE id = $1`, [inspectionId]);
  if (!rows[0]) throw new DomainError('not_found', 'not_found', `巡查 ${inspectionId} 不存在`);
  if (rows[0].stationId !== actor.stationId) throw new DomainError('forbidden', 'out_of_scope', '此巡查不属于本站');
  const receipt = await reportEvent(app, { source: 'field', accountId: actor.uid, role: actor.role, name: actor.name, ip }, report);
  // The report is committed (and idempotent) first; a retry links it if the first try did not, audited once.
  await inTransaction(app.db, async (tx) => {
    const { rowCount } = await tx.query(`INSERT INTO inspection_findings (inspection_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [inspectionId, receipt.id]);
    if (rowCount) await audit(tx, actor, { action: 'inspection.finding', target: `inspection:${inspectionId}`, detail: { eventId: receipt.id }, ip });
  });
  return { eventId: receipt.id, created: receipt.created };
}
