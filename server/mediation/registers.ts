import { maskPhone } from '@/lib/access/mask';
import type { MediatorInputV1, MediatorV1, StudioInputV1, StudioV1 } from '@/lib/contracts/mediation';
import type { Reach } from '@/lib/access/scope';
import type { Session } from '../auth/session';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { args } from '../db/scope';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';

/*
 * The registers of mediation studios and mediators (S4: branded studios; people's mediators,
 * lawyers, 乡贤 and professionals), per station, edited by whoever manages the station's master
 * data (PERMISSIONS.manageStation). Retrying a create answers the row made the first time:
 * a name is unique within its station.
 */

type Who = Pick<Session, 'uid' | 'role' | 'stationId'>;

const STUDIO_COLS = `s.id, s.station_id AS "stationId", s.name, s.address, s.kinds, s.active`;
const MEDIATOR_COLS = `d.id, d.station_id AS "stationId", d.studio_id AS "studioId", s.name AS "studioName", d.person_id AS "personId",
  d.name, d.kind, d.kinds, d.phone, d.active`;

function stationFilter(reach: Reach, column: string, arg: (v: unknown) => string): string {
  if (reach.kind === 'district') return 'true';
  if (reach.kind === 'station') return `${column} = ${arg(reach.stationId)}`;
  return 'false';
}

export async function listStudios(db: Db, reach: Reach): Promise<StudioV1[]> {
  const q = args();
  const { rows } = await db.query<StudioV1>(`SELECT ${STUDIO_COLS} FROM mediation_studios s WHERE ${stationFilter(reach, 's.station_id', q.arg)} ORDER BY s.station_id, s.name`, q.args);
  return rows;
}

/** Phones in clear for the station's leaders (who keep the register), masked for the rest. */
export async function listMediators(db: Db, reach: Reach, viewer: Pick<Session, 'role' | 'stationId'>): Promise<MediatorV1[]> {
  const q = args();
  const { rows } = await db.query<MediatorV1>(
    `SELECT ${MEDIATOR_COLS} FROM mediators d LEFT JOIN mediation_studios s ON s.id = d.studio_id
      WHERE ${stationFilter(reach, 'd.station_id', q.arg)} ORDER BY d.station_id, d.active DESC, d.name`,
    q.args,
  );
  const leader = viewer.role === 'station_chief' || viewer.role === 'deputy_chief' || viewer.role === 'admin';
  return rows.map((r) => ({ ...r, phone: r.phone && !(leader && (viewer.role === 'admin' || viewer.stationId === r.stationId)) ? maskPhone(r.phone) : r.phone }));
}

/** The station a register row goes to: the manager's own, or (the district's administrator) the one named. */
function stationOf(who: Who, asked: number | undefined): number {
  if (who.stationId !== null) {
    if (asked !== undefined && asked !== who.stationId) throw new DomainError('not_found', 'not_found', `工作站 ${asked} 不存在`);
    return who.stationId;
  }
  if (asked === undefined) throw new DomainError('invalid', 'invalid', '请选择工作站', [{ path: 'body.stationId', message: '区级账号须指明工作站' }]);
  return asked;
}

async function checkStation(tx: Tx, id: number): Promise<void> {
  const { rowCount } = await tx.query(`SELECT 1 FROM stations WHERE id = $1`, [id]);
  if (!rowCount) throw new DomainError('unprocessable', 'unknown_station', `工作站 ${id} 不存在`, [{ path: 'body.stationId', message: '未知工作站' }]);
}

export async function createStudio(db: Db, who: Who, input: StudioInputV1, ip: string): Promise<{ studio: StudioV1; created: boolean }> {
  const stationId = stationOf(who, input.stationId);
  return inTransaction(db, async (tx) => {
    await checkStation(tx, stationId);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO mediation_studios (station_id, name, address, kinds, active) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (station_id, name) DO NOTHING RETURNING id`,
      [stationId, input.name, input.address ?? null, input.kinds, input.active],
    );
    const created = rows.length > 0;
    if (created) await audit(tx, who, { action: 'mediation.studio.create', target: `mediation_studio:${rows[0].id}`, detail: { stationId, name: input.name }, ip });
    const { rows: out } = await tx.query<StudioV1>(`SELECT ${STUDIO_COLS} FROM mediation_studios s WHERE s.station_id = $1 AND s.name = $2`, [stationId, input.name]);
    return { studio: out[0], created };
  });
}

export async function updateStudio(db: Db, who: Who, reach: Reach, id: number, input: Partial<StudioInputV1>, ip: string): Promise<StudioV1> {
  return inTransaction(db, async (tx) => {
    const q = args([id]);
    const { rows } = await tx.query<{ id: number }>(`SELECT s.id FROM mediation_studios s WHERE s.id = $1 AND ${stationFilter(reach, 's.station_id', q.arg)} FOR UPDATE`, q.args);
    if (!rows[0]) throw new DomainError('not_found', 'not_found', `调解工作室 ${id} 不存在`);
    await tx.query(
      `UPDATE mediation_studios SET name = coalesce($2, name), address = CASE WHEN $3::boolean THEN $4 ELSE address END,
              kinds = coalesce($5, kinds), active = coalesce($6, active) WHERE id = $1`,
      [id, input.name ?? null, input.address !== undefined, input.address ?? null, input.kinds ?? null, input.active ?? null],
    );
    await audit(tx, who, { action: 'mediation.studio.update', target: `mediation_studio:${id}`, detail: { ...input }, ip });
    const { rows: out } = await tx.query<StudioV1>(`SELECT ${STUDIO_COLS} FROM mediation_studios s WHERE s.id = $1`, [id]);
    return out[0];
  });
}

/** A studio or person named for a mediator must be of the mediator's station. */
async function checkRefs(tx: Tx, stationId: number, studioId: number | null | undefined, personId: number | null | undefined): Promise<void> {
  if (studioId) {
    const { rowCount } = await tx.query(`SELECT 1 FROM mediation_studios WHERE id = $1 AND station_id = $2`, [studioId, stationId]);
    if (!rowCount) throw new DomainError('unprocessable', 'unknown_studio', `调解工作室 ${studioId} 不属于本站`, [{ path: 'body.studioId', message: '未知的调解工作室' }]);
  }
  if (personId) {
    const { rowCount } = await tx.query(`SELECT 1 FROM person_roles WHERE person_id = $1 AND station_id = $2`, [personId, stationId]);
    if (!rowCount) throw new DomainError('unprocessable', 'unknown_person', `人员 ${personId} 不在本站`, [{ path: 'body.personId', message: '未知人员' }]);
  }
}

async function mediatorById(tx: Tx | Db, id: number): Promise<MediatorV1> {
  const { rows } = await tx.query<MediatorV1>(`SELECT ${MEDIATOR_COLS} FROM mediators d LEFT JOIN mediation_studios s ON s.id = d.studio_id WHERE d.id = $1`, [id]);
  return rows[0];
}

export async function createMediator(db: Db, who: Who, input: MediatorInputV1, ip: string): Promise<{ mediator: MediatorV1; created: boolean }> {
  const stationId = stationOf(who, input.stationId);
  return inTransaction(db, async (tx) => {
    await checkStation(tx, stationId);
    await checkRefs(tx, stationId, input.studioId, input.personId);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO mediators (station_id, studio_id, person_id, name, kind, kinds, phone, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (station_id, name) DO NOTHING RETURNING id`,
      [stationId, input.studioId ?? null, input.personId ?? null, input.name, input.kind, input.kinds, input.phone ?? null, input.active],
    );
    const created = rows.length > 0;
    if (created) await audit(tx, who, { action: 'mediation.mediator.create', target: `mediator:${rows[0].id}`, detail: { stationId, name: input.name, kind: input.kind }, ip });
    const { rows: id } = await tx.query<{ id: number }>(`SELECT id FROM mediators WHERE station_id = $1 AND name = $2`, [stationId, input.name]);
    return { mediator: await mediatorById(tx, id[0].id), created };
  });
}

export async function updateMediator(db: Db, who: Who, reach: Reach, id: number, input: Partial<MediatorInputV1>, ip: string): Promise<MediatorV1> {
  return inTransaction(db, async (tx) => {
    const q = args([id]);
    const { rows } = await tx.query<{ stationId: number }>(
      `SELECT d.station_id AS "stationId" FROM mediators d WHERE d.id = $1 AND ${stationFilter(reach, 'd.station_id', q.arg)} FOR UPDATE`,
      q.args,
    );
    if (!rows[0]) throw new DomainError('not_found', 'not_found', `调解员 ${id} 不存在`);
    await checkRefs(tx, rows[0].stationId, input.studioId, input.personId);
    await tx.query(
      `UPDATE mediators SET name = coalesce($2, name), kind = coalesce($3, kind), kinds = coalesce($4, kinds), active = coalesce($5, active),
              phone = CASE WHEN $6::boolean THEN $7 ELSE phone END,
              studio_id = CASE WHEN $8::boolean THEN $9::int ELSE studio_id END,
              person_id = CASE WHEN $10::boolean THEN $11::int ELSE person_id END
        WHERE id = $1`,
      [id, input.name ?? null, input.kind ?? null, input.kinds ?? null, input.active ?? null, input.phone !== undefined, input.phone ?? null,
        input.studioId !== undefined, input.studioId ?? null, input.personId !== undefined, input.personId ?? null],
    );
    // The phone is personal data: the log says it changed, not what it is.
    await audit(tx, who, { action: 'mediation.mediator.update', target: `mediator:${id}`, detail: { ...input, ...(input.phone ? { phone: 'changed' } : {}) }, ip });
    return mediatorById(tx, id);
  });
}
