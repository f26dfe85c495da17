import type { Card } from '@/lib/contracts/events';
import { DONE_STATES } from '@/lib/events/machine';

export type Rgb = readonly [number, number, number];

/*
 * The console colours an event by where it stands in the closed loop — who has to move next —
 * and rims it with its supervision card. State hues keep clear of the cards' yellow and red, so a
 * rim always reads as "late" and never as a state.
 */
export const STATE_GROUPS = [
  { key: 'new', label: '待受理', states: ['reported'], rgb: [79, 216, 255] },
  { key: 'accepted', label: '待交办', states: ['accepted'], rgb: [110, 150, 255] },
  { key: 'routed', label: '已交办/统筹', states: ['assigned', 'coordinated'], rgb: [186, 140, 255] },
  { key: 'working', label: '处置中', states: ['in_progress'], rgb: [61, 220, 132] },
  { key: 'handled', label: '待核查', states: ['handled'], rgb: [40, 200, 190] },
  { key: 'done', label: '已结束', states: DONE_STATES, rgb: [120, 135, 155] },
] as const satisfies readonly { key: string; label: string; states: readonly string[]; rgb: Rgb }[];

const BY_STATE = new Map<string, Rgb>(STATE_GROUPS.flatMap((g) => g.states.map((s) => [s, g.rgb] as const)));
const UNKNOWN: Rgb = [150, 165, 185];

export function stateRgb(state: string): Rgb {
  return BY_STATE.get(state) ?? UNKNOWN;
}

export const CARD_RGB: Record<Card, Rgb> = { none: [7, 16, 31], yellow: [255, 210, 63], red: [255, 59, 78] };

export function css([r, g, b]: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}
