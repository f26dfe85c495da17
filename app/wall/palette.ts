import type { IncidentSeverity } from '@/lib/contracts/live';
import { HANDLED_STATES } from '@/lib/events/machine';
import { UNIT_KINDS, type UnitKind } from '@/lib/units';

export type Rgb = readonly [number, number, number];

/*
 * Unit kinds keep to hues apart from the incidents' severity ramp (yellow → red) and from the
 * stations' amber, so a dot reads as "who" and a ring as "what happened".
 */
export const KIND_RGB: Record<UnitKind, Rgb> = {
  gridder: [61, 220, 132],
  police: [64, 140, 255],
  enforcement: [160, 124, 255],
  market: [200, 226, 90],
  fire: [255, 92, 120],
  emergency: [255, 150, 70],
  mediator: [40, 214, 200],
  volunteer: [255, 128, 210],
};
export const UNKNOWN_RGB: Rgb = [150, 165, 185];

/** KIND_RGB by kind index (UNIT_KINDS order), unknown last: what the binary colour fill reads. */
export const KIND_RGB_BY_INDEX: readonly Rgb[] = [...UNIT_KINDS.map((k) => KIND_RGB[k]), UNKNOWN_RGB];

export const SEVERITY_RGB: Record<IncidentSeverity, Rgb> = {
  low: [120, 200, 255],
  normal: [255, 214, 90],
  high: [255, 140, 50],
  critical: [255, 50, 80],
};

export const SEVERITY_LABEL: Record<IncidentSeverity, string> = {
  low: '轻微',
  normal: '一般',
  high: '较重',
  critical: '紧急',
};

/** Closed-loop stages, as the incident layer draws them. */
export const STAGE_LABEL = { waiting: '待受理', working: '处置中', done: '已处置' } as const;
export type Stage = keyof typeof STAGE_LABEL;

const WAITING = new Set(['reported', 'accepted']);
const DONE: ReadonlySet<string> = new Set(HANDLED_STATES);

export function stageOf(state: string): Stage {
  return WAITING.has(state) ? 'waiting' : DONE.has(state) ? 'done' : 'working';
}

export function css([r, g, b]: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}
