import { describe, expect, it } from 'vitest';
import {
  assessmentParts, citizenEntryLabel, EMPTY_REDEEM, entryKind, eventHref, redeemFieldsOf, redemptionBody, signed,
} from './view';

/* Issue 15 point 5 (S14): how points read on the console, /field and /m, and the 兑换 form's checks. */

describe('points as shown (S14)', () => {
  it('signs points with a true minus', () => {
    expect([signed(2), signed(-2), signed(0)]).toEqual(['+2', '−2', '0']);
  });

  it('tells earned, taken back and redeemed apart', () => {
    expect(entryKind({ points: 2, redemptionId: null })).toBe('earned');
    expect(entryKind({ points: -2, redemptionId: null })).toBe('clawback');
    expect(entryKind({ points: -5, redemptionId: 7 })).toBe('redeemed');
  });

  it("words a resident's entries without the event number or the leader's note", () => {
    const rule = '群众有效举报（核查办结）';
    expect(citizenEntryLabel({ points: 5, ruleLabel: rule, redemptionId: null, reason: `${rule}：事件 812` })).toBe(rule);
    const back = citizenEntryLabel({ points: -5, ruleLabel: rule, redemptionId: null, reason: '查实为虚假上报，扣回积分：王五说现场无此事' });
    expect(back).toBe(`${rule}（查实为虚假上报，扣回）`);
    expect(back).not.toContain('王五');
    expect(citizenEntryLabel({ points: -3, ruleLabel: null, redemptionId: 4, reason: '积分兑换：洗衣液一瓶' })).toBe('积分兑换：洗衣液一瓶');
  });

  it('links an event to the console drawer', () => {
    expect(eventHref(42)).toBe('/console?event=42');
  });
});

describe('the 兑换 form (S14 redemption records)', () => {
  const KEY = 'redeem-0123456789abcdef';

  it('builds a person redemption the route accepts', () => {
    const r = redemptionBody({ ...EMPTY_REDEEM, personId: ' 12 ', item: '毛巾一条', points: '3' }, KEY);
    expect(r).toEqual({ ok: true, body: { personId: 12, item: '毛巾一条', points: 3, requestKey: KEY } });
  });

  it("builds a resident's redemption by code, dash and case forgiven", () => {
    const r = redemptionBody({ ...EMPTY_REDEEM, target: 'citizen', citizenCode: '7k3m9-qx2hd', item: '雨伞', points: '10' }, KEY);
    expect(r).toEqual({ ok: true, body: { citizenCode: '7K3M9QX2HD', item: '雨伞', points: 10, requestKey: KEY } });
  });

  it('names each field at fault', () => {
    const r = redemptionBody({ ...EMPTY_REDEEM, personId: '', item: '  ', points: '2.5' }, KEY);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields.personId).toBe('请填写人员编号（数字）');
    expect(r.fields.item).toBe('请填写兑换内容');
    expect(r.fields.points).toBe('须为整数');
  });

  it('refuses an empty or negative amount and a malformed code', () => {
    const empty = redemptionBody({ ...EMPTY_REDEEM, personId: '3', item: '毛巾', points: '' }, KEY);
    expect(empty.ok === false && empty.fields.points).toBe('请填写兑换分值（整数）');
    const negative = redemptionBody({ ...EMPTY_REDEEM, personId: '3', item: '毛巾', points: '-4' }, KEY);
    expect(negative.ok === false && negative.fields.points).toBe('须大于 0');
    const code = redemptionBody({ ...EMPTY_REDEEM, target: 'citizen', citizenCode: 'ABC', item: '毛巾', points: '1' }, KEY);
    expect(code.ok === false && code.fields.citizenCode).toBe('须为 10 位查询码');
  });

  it("puts the server's issues beside their fields", () => {
    const { fields, rest } = redeemFieldsOf([
      { path: 'body.points', message: '积分不足：余额 1，兑换需 3' },
      { path: 'body.requestKey', message: '重复' },
    ]);
    expect(fields).toEqual({ points: '积分不足：余额 1，兑换需 3' });
    expect(rest).toEqual(['重复']);
  });
});

describe("the drawer's 考评 section (S13, S14)", () => {
  it('gives the false mark to points managers, the flags to the district, the accountability link on a red card', () => {
    const deputy = { managePoints: true, flagEvents: false, manageAccountability: false };
    const operator = { managePoints: true, flagEvents: true, manageAccountability: true };
    const leader = { managePoints: false, flagEvents: true, manageAccountability: true };
    expect(assessmentParts({ ...deputy, card: 'red' })).toEqual({ markFalse: true, flags: false, accountability: false });
    expect(assessmentParts({ ...operator, card: 'yellow' })).toEqual({ markFalse: true, flags: true, accountability: false });
    expect(assessmentParts({ ...leader, card: 'red' })).toEqual({ markFalse: false, flags: true, accountability: true });
  });
});
