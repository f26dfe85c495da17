import { describe, expect, it } from 'vitest';
import { EventActionV1 } from '@/lib/contracts/events';
import { EVENT_ACTIONS } from '@/lib/events/machine';
import { buildAction, EMPTY_FORM, isOneClick, isSendable, needsOf, newRequestKey } from './actions';
import { HttpError } from '@/app/http';
import { errorMessage } from './api';
import { actionLabel, roleLabel, stateLabel, stepDetails } from './timeline';

describe('action bodies', () => {
  it('sends every contract action; the citizen rating is not the console’s', () => {
    expect(EVENT_ACTIONS.filter(isSendable)).toEqual(EVENT_ACTIONS.filter((a) => a !== 'rate'));
  });

  it('one click for accept, start and verify_pass; a form for the rest', () => {
    expect(['accept', 'start', 'verify_pass'].every((a) => isOneClick(a as 'accept'))).toBe(true);
    for (const a of ['return', 'merge', 'assign', 'coordinate', 'reroute', 'handle', 'verify_fail'] as const) expect(isOneClick(a), a).toBe(false);
    expect(needsOf('reroute')).toEqual({ department: true, departments: false, into: false, noteRequired: true });
  });

  it('builds what the server parses, with the request key', () => {
    expect(buildAction('accept', EMPTY_FORM)).toEqual({ ok: true, body: { action: 'accept' } });
    expect(buildAction('assign', { ...EMPTY_FORM, department: 'police', note: ' 速办 ' })).toEqual({
      ok: true, body: { action: 'assign', department: 'police', note: '速办' },
    });
    expect(buildAction('coordinate', { ...EMPTY_FORM, departments: ['police', 'fire', 'police'] })).toEqual({
      ok: true, body: { action: 'coordinate', departments: ['police', 'fire'] },
    });
    expect(buildAction('merge', { ...EMPTY_FORM, into: ' 42 ' })).toEqual({ ok: true, body: { action: 'merge', into: 42 } });
    expect(buildAction('handle', { ...EMPTY_FORM, note: '已清理' })).toEqual({
      ok: true, body: { action: 'handle', note: '已清理', photos: [] },
    });
  });

  it('refuses in Chinese what the server would refuse', () => {
    expect(buildAction('return', EMPTY_FORM)).toEqual({ ok: false, message: '须填写原因' });
    expect(buildAction('return', { ...EMPTY_FORM, note: '   ' })).toEqual({ ok: false, message: '须填写原因' });
    expect(buildAction('assign', EMPTY_FORM)).toEqual({ ok: false, message: '请选择部门' });
    expect(buildAction('reroute', { ...EMPTY_FORM, department: 'fire' })).toEqual({ ok: false, message: '须填写原因' });
    expect(buildAction('coordinate', EMPTY_FORM)).toEqual({ ok: false, message: '请至少选择一个协同部门' });
    expect(buildAction('merge', { ...EMPTY_FORM, into: 'abc' })).toEqual({ ok: false, message: '请填写要合并到的事件编号' });
    expect(buildAction('assign', { ...EMPTY_FORM, department: 'Bad Code' })).toEqual({ ok: false, message: '部门有误' });
  });

  it('a fresh request key each time, valid for the contract', () => {
    const a = newRequestKey();
    expect(a).not.toBe(newRequestKey());
    expect(EventActionV1.safeParse({ action: 'accept', requestKey: a }).success).toBe(true);
  });
});

describe('timeline words', () => {
  it('labels actions, steps, states and roles', () => {
    expect(actionLabel('assign')).toBe('交办');
    expect(actionLabel('report')).toBe('上报');
    expect(actionLabel('supervise')).toBe('督办');
    expect(actionLabel(null)).toBe('记录');
    expect(stateLabel('in_progress')).toBe('处置中');
    expect(stateLabel(null)).toBe('');
    expect(roleLabel('system')).toBe('系统');
    expect(roleLabel('deputy_chief')).toBe('常务副站长');
    expect(roleLabel(null)).toBe('');
  });

  it('spells out the data of a step', () => {
    const dept = (c: string) => ({ police: '公安', fire: '消防', justice: '司法' })[c] ?? c;
    expect(stepDetails(null, dept)).toEqual([]);
    expect(stepDetails({ department: 'police', from: null }, dept)).toEqual(['部门：公安']);
    expect(stepDetails({ department: 'fire', from: 'police' }, dept)).toEqual(['部门：公安 → 消防']);
    expect(stepDetails({ departments: ['police', 'justice'] }, dept)).toEqual(['协同部门：公安、司法']);
    expect(stepDetails({ into: 12 }, dept)).toEqual(['合并到 #12']);
    expect(stepDetails({ card: 'red' }, dept)).toEqual(['红牌']);
    expect(stepDetails({ photos: ['a', 'b'] }, dept)).toEqual(['照片 2 张']);
  });
});

describe('server errors in words', () => {
  const said = (status: number, body: unknown) => errorMessage(new HttpError(status, body));
  it('shows the server’s Chinese message: a lock, a 422 issue, a scope refusal', () => {
    expect(said(409, { error: 'locked', message: '俞玲 正在处理此事件' })).toEqual({ code: 'locked', message: '俞玲 正在处理此事件' });
    expect(said(422, { error: 'invalid_reference', message: '改派须选择另一个部门', issues: [{ path: 'body.department', message: '改派须选择另一个部门' }] }).message).toBe('改派须选择另一个部门');
    expect(said(403, { error: 'out_of_scope', message: '此事件不在您的职责范围内' }).message).toBe('此事件不在您的职责范围内');
  });

  it('says in Chinese what the server said for its log in English', () => {
    expect(said(409, { error: 'invalid_transition', message: 'cannot accept an event that is assigned' }).message).toBe('事件已被他人处理或状态已变化，当前不能执行此操作');
    expect(said(400, { error: 'invalid', message: 'bad', issues: [{ path: 'body.x', message: 'Invalid input' }] }).message).toBe('提交的内容有误，请检查后重试');
    expect(errorMessage(new HttpError(0, null, 'network')).message).toBe('网络连接失败，请稍后重试');
    expect(said(502, '<html>').message).toBe('服务器错误（502）');
  });
});
