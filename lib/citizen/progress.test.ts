import { describe, expect, it } from 'vitest';
import { statusOf, stepOf, trackingView, type ProgressEvent, type ProgressRequest, type ProgressStep } from './progress';

/* Issue 14 (S9, S14): what a resident sees of their request, from the event's state and log. */

const names = new Map([['housing', '住建']]);
const step = (action: string | null, to: string, note: string | null = null, data: Record<string, unknown> | null = null, at = '2026-12-01T10:00:00+08:00'): ProgressStep =>
  ({ at, action, to, note, data });
const request = (over: Partial<ProgressRequest> = {}): ProgressRequest => ({
  code: '7K3M9QX2HD', kind: 'report', createdAt: '2026-12-01T09:00:00+08:00', description: '路灯坏了', phone: '13812345678',
  merged: false, rating: null, ratingComment: null, ratedAt: null, ...over,
});
const event = (state: ProgressEvent['state'], log: ProgressStep[]): ProgressEvent => ({ state, categoryLabel: '城市管理', placeLabel: '百间楼社区', log });

describe('the resident\'s view of a request', () => {
  it('walks the closed loop in plain words, showing the handling result but not the verifier\'s reason', () => {
    const log = [
      step('report', 'reported', null, null, '2026-12-01T09:00:00+08:00'),
      step('accept', 'accepted', '内部备注', null, '2026-12-01T09:10:00+08:00'),
      step('assign', 'assigned', null, { department: 'housing' }, '2026-12-01T09:20:00+08:00'),
      step('supervise', 'assigned', '黄牌督办：已超过办理时限', null, '2026-12-01T09:25:00+08:00'),
      step('start', 'in_progress', null, null, '2026-12-01T09:30:00+08:00'),
      step('handle', 'handled', '已更换灯泡', null, '2026-12-01T10:00:00+08:00'),
      step('verify_fail', 'in_progress', '张三说还不亮', null, '2026-12-01T11:00:00+08:00'),
      step('handle', 'handled', '已更换线路', null, '2026-12-01T12:00:00+08:00'),
      step('verify_pass', 'closed', null, null, '2026-12-01T13:00:00+08:00'),
    ];
    const v = trackingView(request(), [event('closed', log)], names);
    expect(v.steps.map((s) => s.label)).toEqual(['已收到', '已受理', '已交由住建处理', '开始处理', '已处理', '核查未通过，继续处理', '已处理', '核查通过，已办结']);
    expect(v.steps.map((s) => s.note).filter(Boolean)).toEqual(['已更换灯泡', '已更换线路']);
    expect(v).toMatchObject({ code: '7K3M9-QX2HD', status: 'closed', statusLabel: '已办结', canRate: true, phoneMasked: '138****5678', answer: null });
    expect(JSON.stringify(v)).not.toMatch(/张三|内部备注|督办/);
  });

  it('an answered question shows the answer; a returned one its reason', () => {
    const answered = trackingView(request({ kind: 'question' }), [event('closed', [step('report', 'reported'), step('answer', 'closed', '可到村委会办理')])], names);
    expect(answered).toMatchObject({ status: 'answered', answer: '可到村委会办理', canRate: true });
    const returned = trackingView(request(), [event('returned', [step('report', 'reported'), step('return', 'returned', '不属于本站职责')])], names);
    expect(returned).toMatchObject({ status: 'returned', canRate: false });
    expect(returned.steps[1]).toMatchObject({ label: '未予受理', note: '不属于本站职责' });
  });

  it('a merged event follows the event it was merged into from the merge on', () => {
    const own = event('merged', [step('report', 'reported', null, null, '2026-12-01T09:00:00+08:00'), step('merge', 'merged', null, { into: 9 }, '2026-12-01T09:30:00+08:00')]);
    const into = event('in_progress', [
      step('report', 'reported', null, null, '2026-12-01T08:00:00+08:00'),
      step('accept', 'accepted', null, null, '2026-12-01T08:30:00+08:00'),
      step('start', 'in_progress', null, null, '2026-12-01T10:00:00+08:00'),
    ]);
    const v = trackingView(request(), [own, into], names);
    expect(v.status).toBe('handling');
    expect(v.steps.map((s) => s.label)).toEqual(['已收到', '已与同一问题合并处理', '开始处理']);
  });

  it('a request merged into another resident\'s event rates on its own row', () => {
    const log = [step('report', 'reported'), step('answer', 'closed', '已答复'), step('rate', 'rated', '很好', { rating: 5 })];
    expect(statusOf({ merged: true, rating: null }, { state: 'rated', log })).toBe('answered');
    expect(trackingView(request({ merged: true }), [event('rated', log)], names).canRate).toBe(true);
    const rated = trackingView(request({ merged: true, rating: 1, ratedAt: '2026-12-02T09:00:00+08:00' }), [event('rated', log)], names);
    expect(rated).toMatchObject({ status: 'rated', canRate: false, rating: { choice: 'dissatisfied', label: '不满意' } });
    expect(trackingView(request(), [event('rated', log)], names)).toMatchObject({ status: 'rated', canRate: false });
  });

  it('mediation steps show their public note; unknown steps are left out', () => {
    expect(stepOf(step('mediation', 'in_progress', '定于周六上午在村调解室调解', { caseId: 3, step: 'session', public: true }), names)).toEqual({
      at: '2026-12-01T10:00:00+08:00', label: '已安排调解', note: '定于周六上午在村调解室调解',
    });
    expect(stepOf(step('mediation', 'in_progress', '调解中', { step: 'unheard-of' }), names)?.label).toBe('调解进展');
    expect(stepOf(step('task_done', 'coordinated', '内部'), names)).toBeNull();
    expect(stepOf(step(null, 'reported'), names)).toBeNull();
  });
});
