import { KEY_PERSON_CATEGORIES, KeyPersonInput, KeyPersonPatch, KeyPersonQuery } from '@/lib/contracts/keyPerson';
import type { AppContext } from '../../context';
import { inTransaction, type Tx } from '../../db/pool';
import { DomainError } from '../../errors';
import { reachOfSession } from '../../events/viewer';
import { audit } from '../../repo/audit';
import { defaultVisits, idNumbersTaken, insertKeyPersons, keyPersonForChange, maskViewerOf, readKeyPersons, removeKeyPerson, updateKeyPerson } from '../../repo/keyPersons';
import type { Reach } from '@/lib/access/scope';
import { RESPONSIBLE_GRID_ROLES } from '@/lib/roles';
import type { Session } from '../../auth/session';
import { gridInReach } from '../../repo/places';
import { readBody, readQuery, type Router } from '../router';
import { Empty, registerId } from './places';

const gone = () => new DomainError('not_found', 'not_found', '重点人员不存在');
const CATEGORIES = Object.entries(KEY_PERSON_CATEGORIES).map(([k, c]) => `${k}（${c.label}，默认每月 ${c.visitsPerMonth} 次）`).join('、');
const MASK =
  '姓名、身份证号、电话对该网格的网格员（网格长、指导员、专职/兼职网格员、网格警员）、本站站长和常务副站长、区级领导显示原文，' +
  '对其他人打码（张*、330503********1234、138****5678），备注不返回；masked 字段说明是否打码。';
const PERSON = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, name: { type: 'string' }, idNumber: { type: ['string', 'null'] }, phone: { type: ['string', 'null'] }, category: { type: 'string' },
    visitsPerMonth: { type: 'integer' }, address: { type: 'string' }, lon: { type: 'number' }, lat: { type: 'number' }, gridCode: { type: 'string' },
    note: { type: ['string', 'null'] }, masked: { type: 'boolean' }, updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'name', 'idNumber', 'phone', 'category', 'visitsPerMonth', 'address', 'lon', 'lat', 'gridCode', 'note', 'masked', 'updatedAt'],
};
const OK = { type: 'object', properties: { id: { type: 'integer' }, gridCode: { type: 'string' } }, required: ['id', 'gridCode'] };

async function idNumberFree(tx: Tx, reach: Reach, idNumber: string | null | undefined, except: number | null): Promise<void> {
  if (idNumber && (await idNumbersTaken(tx, reach, [idNumber], except)).size)
    throw new DomainError('conflict', 'duplicate', '该身份证号已登记为重点人员', [{ path: 'body.idNumber', message: '该身份证号已登记为重点人员' }]);
}

/**
 * Grid staff change only the persons of the grids they answer for: moving a person of another
 * grid into one's own would show them in clear (lib/access/mask). Leaders and the administrator
 * may change any person of their reach.
 */
async function mayChange(tx: Tx, session: Session, gridCode: string): Promise<void> {
  if (!RESPONSIBLE_GRID_ROLES.includes(session.role)) return;
  if (!(await maskViewerOf(tx, session)).grids.includes(gridCode))
    throw new DomainError('forbidden', 'not_responsible', '只能修改本人负责网格的重点人员');
}

/**
 * Key persons (重点人员, S3): owned by a grid, so by its gridders; personal data masked for all but
 * them and the leaders (lib/access/mask), every read on record. Mutations audit which fields
 * changed, never their values: the audit log is read by roles that see the register masked.
 */
export function keyPersonRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/key-persons', 'readKeyPersons', {
    doc: {
      summary: '重点人员名册',
      description: `本站（区级角色为全区）在册的重点人员，可按网格、类别筛选，最多 5000 人。${MASK}每次读取记入审计日志（返回的编号及是否打码）。`,
      query: KeyPersonQuery,
      response: { type: 'array', items: PERSON },
    },
  }, async ({ session, url, ip }) => ({ body: await readKeyPersons(app.db, session!, readQuery(url, KeyPersonQuery), ip) }));

  router.add('GET', '/api/v1/key-persons/:id', 'readKeyPersons', {
    doc: { summary: '一名重点人员', description: `${MASK}每次读取记入审计日志。`, response: PERSON, errors: { 404: '无此人员，已移除，或不在本站' } },
  }, async (ctx) => {
    const id = registerId(ctx, '重点人员');
    const [person] = await readKeyPersons(app.db, ctx.session!, { id }, ctx.ip);
    if (!person) throw gone();
    return { body: person };
  });

  router.add('POST', '/api/v1/key-persons', 'editKeyPersons', {
    doc: {
      summary: '登记一名重点人员',
      description: `按住址点位（WGS-84）落到网格，须在本站范围内（管理员不限）。类别：${CATEGORIES}。不填每月走访次数则取类别默认。`,
      body: KeyPersonInput,
      responses: { 201: { description: '已登记', schema: OK } },
      errors: { 409: '身份证号已登记', 422: '位置不在本区任何网格内，或不在本站范围内' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, KeyPersonInput);
    const reach = await reachOfSession(app.db, session!);
    const grid = await gridInReach(app.db, reach, input.lon, input.lat);
    const id = await inTransaction(app.db, async (tx) => {
      await idNumberFree(tx, reach, input.idNumber, null);
      const [pid] = await insertKeyPersons(tx, [{ ...input, gridCode: grid }]);
      await audit(tx, session, { action: 'key_person.create', target: `key_person:${pid}`, detail: { gridCode: grid, category: input.category, visitsPerMonth: defaultVisits(input) }, ip });
      return pid;
    });
    return { status: 201, body: { id, gridCode: grid } };
  });

  router.add('PATCH', '/api/v1/key-persons/:id', 'editKeyPersons', {
    doc: {
      summary: '修改重点人员',
      description: '只改所给字段；改类别而不给每月走访次数时取新类别的默认。打码看到的人可以改写姓名、证件号、电话，但读不回原文。',
      body: KeyPersonPatch,
      response: OK,
      errors: { 403: '网格人员只能修改本人负责网格的重点人员', 404: '无此人员，已移除，或不在本站', 409: '身份证号已在本站登记', 422: '新位置不在本区任何网格内，或不在本站范围内' },
    },
  }, async (ctx) => {
    const id = registerId(ctx, '重点人员');
    const patch = await readBody(ctx.req, KeyPersonPatch);
    const reach = await reachOfSession(app.db, ctx.session!);
    const grid = patch.lon !== undefined && patch.lat !== undefined ? await gridInReach(app.db, reach, patch.lon, patch.lat) : null;
    const gridCode = await inTransaction(app.db, async (tx) => {
      const before = await keyPersonForChange(tx, reach, id);
      if (!before) throw gone();
      await mayChange(tx, ctx.session!, before.gridCode);
      await idNumberFree(tx, reach, patch.idNumber, id);
      const change = patch.category && patch.visitsPerMonth === undefined ? { ...patch, visitsPerMonth: defaultVisits({ category: patch.category }) } : patch;
      await updateKeyPerson(tx, id, change, grid);
      await audit(tx, ctx.session, {
        action: 'key_person.update',
        target: `key_person:${id}`,
        detail: { fields: Object.keys(change).filter((k) => change[k as keyof typeof change] !== undefined), from: before.gridCode, gridCode: grid ?? before.gridCode },
        ip: ctx.ip,
      });
      return grid ?? before.gridCode;
    });
    return { body: { id, gridCode } };
  });

  router.add('DELETE', '/api/v1/key-persons/:id', 'editKeyPersons', {
    doc: { summary: '移除重点人员', description: '移出名册（不再计入应访人员），记录与既往走访保留。', body: Empty, response: OK, errors: { 403: '网格人员只能移除本人负责网格的重点人员', 404: '无此人员，已移除，或不在本站' } },
  }, async (ctx) => {
    const id = registerId(ctx, '重点人员');
    await readBody(ctx.req, Empty);
    const reach = await reachOfSession(app.db, ctx.session!);
    const gridCode = await inTransaction(app.db, async (tx) => {
      const before = await keyPersonForChange(tx, reach, id);
      if (!before) throw gone();
      await mayChange(tx, ctx.session!, before.gridCode);
      await removeKeyPerson(tx, id);
      await audit(tx, ctx.session, { action: 'key_person.remove', target: `key_person:${id}`, detail: { gridCode: before.gridCode, category: before.category }, ip: ctx.ip });
      return before.gridCode;
    });
    return { body: { id, gridCode } };
  });
}
