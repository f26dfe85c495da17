import { DutyInput, DutyState } from '@/lib/contracts/duty';
import type { Session } from '../../auth/session';
import type { AppContext } from '../../context';
import { inTransaction, type Db, type Tx } from '../../db/pool';
import { DomainError } from '../../errors';
import { closeShift, currentShift, lockUnitDuty, openShift, type Shift } from '../../live/duty';
import { audit } from '../../repo/audit';
import { readBody, type Router } from '../router';

interface UnitOf {
  id: number;
  code: string;
  name: string;
}

/** The unit of the account's person (one person, one unit), as the /field socket finds it for `pos`. */
async function unitOf(q: Db | Tx, session: Session): Promise<UnitOf | null> {
  const { rows } = await q.query<UnitOf>(`SELECT u.id, u.code, u.name FROM units u JOIN accounts a ON a.person_id = u.person_id WHERE a.id = $1 LIMIT 1`, [session.uid]);
  return rows[0] ?? null;
}

const stateOf = (unit: UnitOf | null, shift: Shift | null): DutyState => ({
  unit,
  onDuty: shift !== null,
  since: shift?.startedAt ?? null,
  source: shift?.source ?? null,
});

const WHO = '有单位的本站人员（其人员绑定了单位）';

/** 上岗 / 下岗 on the phone (issue 12, S3: a trace counts as patrol only on duty). */
export function dutyRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/duty', 'respond', {
    doc: {
      summary: '我的在岗状态',
      description: `本账号的单位是否在岗、自何时起、由谁开启（field 手机、device 定位设备、sim 模拟）。账号没有单位时 unit 为 null。${WHO}`,
      response: DutyState,
    },
  }, async ({ session }) => {
    const unit = await unitOf(app.db, session!);
    return { body: stateOf(unit, unit ? await currentShift(app.db, unit.id) : null) };
  });

  router.add('POST', '/api/v1/duty', 'respond', {
    doc: {
      summary: '上岗 / 下岗',
      description:
        `onDuty 为 true 开始一个 field 班次（若定位设备或模拟的班次开着，先结束它）；false 结束开着的班次。已是所求状态时不变。` +
        `带同一 requestKey 的重试（如手机离线后重发）只返回现状，不再改变：先上岗后下岗时，迟到的上岗重试不会重新上岗。${WHO}`,
      body: DutyInput,
      response: DutyState,
      errors: { 409: '本账号没有单位，无需上岗' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, DutyInput);
    const state = await inTransaction(app.db, async (tx) => {
      const unit = await unitOf(tx, session!);
      if (!unit) throw new DomainError('conflict', 'no_unit', '本账号没有单位，无需上岗');
      await lockUnitDuty(tx, unit.id);
      const { rows: replay } = await tx.query(
        `SELECT 1 FROM audit_log WHERE target = $1 AND action IN ('duty.start', 'duty.end') AND detail->>'requestKey' = $2 LIMIT 1`,
        [`unit:${unit.id}`, input.requestKey],
      );
      if (replay[0]) return stateOf(unit, await currentShift(tx, unit.id));
      if (input.onDuty) {
        const { shift, opened } = await openShift(tx, unit.id, 'field');
        // Recorded even when nothing changed: the key must be known, or a late retry of this press would act after a 下岗.
        await audit(tx, session, { action: 'duty.start', target: `unit:${unit.id}`, detail: { requestKey: input.requestKey, shift: shift.id, unchanged: !opened }, ip });
        return stateOf(unit, shift);
      }
      const ended = await closeShift(tx, unit.id);
      await audit(tx, session, { action: 'duty.end', target: `unit:${unit.id}`, detail: { requestKey: input.requestKey, shift: ended?.id ?? null, source: ended?.source ?? null, unchanged: !ended }, ip });
      return stateOf(unit, null);
    });
    return { body: state };
  });
}
