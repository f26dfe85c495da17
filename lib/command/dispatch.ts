import type { Role } from '../roles';

/**
 * A dispatched unit's life (S12 linked disposal): the unit's own phone moves it from dispatched to
 * cleared; the station's leaders may cancel it while it is active.
 */
export const DISPATCH_STATES = ['dispatched', 'acknowledged', 'en_route', 'on_scene', 'cleared', 'cancelled'] as const;
export type DispatchState = (typeof DISPATCH_STATES)[number];
export const ACTIVE_DISPATCH_STATES: readonly DispatchState[] = ['dispatched', 'acknowledged', 'en_route', 'on_scene'];

export const DISPATCH_STATE_LABEL: Record<DispatchState, string> = {
  dispatched: '已派遣',
  acknowledged: '已接收',
  en_route: '在途',
  on_scene: '到场',
  cleared: '处置完毕',
  cancelled: '已取消',
};

export const DISPATCH_STEPS = ['acknowledge', 'depart', 'arrive', 'clear', 'cancel'] as const;
export type DispatchStep = (typeof DISPATCH_STEPS)[number];

export const DISPATCH_STEP_LABEL: Record<DispatchStep, string> = {
  acknowledge: '确认接收',
  depart: '出发',
  arrive: '到达现场',
  clear: '处置完毕',
  cancel: '取消派遣',
};

const NEXT: Record<Exclude<DispatchStep, 'cancel'>, { from: readonly DispatchState[]; to: DispatchState }> = {
  acknowledge: { from: ['dispatched'], to: 'acknowledged' },
  // A unit already moving may skip the separate acknowledgement: departing acknowledges.
  depart: { from: ['dispatched', 'acknowledged'], to: 'en_route' },
  arrive: { from: ['dispatched', 'acknowledged', 'en_route'], to: 'on_scene' },
  clear: { from: ['on_scene'], to: 'cleared' },
};

export type StepDecision = { ok: true; to: DispatchState } | { ok: false; reason: string };

/** Who steps: the unit itself (`isUnit`) for its progress; the chief or deputy chief to cancel. */
export function decideStep(state: DispatchState, step: DispatchStep, who: { role: Role | 'system'; isUnit: boolean }): StepDecision {
  if (!ACTIVE_DISPATCH_STATES.includes(state)) return { ok: false, reason: `派遣已${DISPATCH_STATE_LABEL[state]}` };
  if (step === 'cancel') {
    if (who.role === 'station_chief' || who.role === 'deputy_chief' || who.role === 'system') return { ok: true, to: 'cancelled' };
    return { ok: false, reason: '只有站长或常务副站长可以取消派遣' };
  }
  if (!who.isUnit && who.role !== 'system') return { ok: false, reason: '只有被派遣的单位本人可以更新派遣状态' };
  const rule = NEXT[step];
  if (!rule.from.includes(state)) return { ok: false, reason: `当前为“${DISPATCH_STATE_LABEL[state]}”，不能${DISPATCH_STEP_LABEL[step]}` };
  return { ok: true, to: rule.to };
}

/** The step the unit's phone offers next, as one big button. */
export function nextStepOf(state: DispatchState): Exclude<DispatchStep, 'cancel'> | null {
  switch (state) {
    case 'dispatched': return 'acknowledge';
    case 'acknowledged': return 'depart';
    case 'en_route': return 'arrive';
    case 'on_scene': return 'clear';
    default: return null;
  }
}
