import { z } from 'zod';

/** What a dispatchable unit is; the wall colours units by kind. */
export const UNIT_KINDS = ['gridder', 'police', 'enforcement', 'market', 'fire', 'emergency', 'mediator', 'volunteer'] as const;
export const UnitKind = z.enum(UNIT_KINDS);
export type UnitKind = z.infer<typeof UnitKind>;

export const UNIT_KIND_LABEL: Record<UnitKind, string> = {
  gridder: '网格员',
  police: '公安',
  enforcement: '综合执法',
  market: '市场监管',
  fire: '消防',
  emergency: '应急',
  mediator: '调解员',
  volunteer: '志愿者',
};

export const UnitStatus = z.enum(['available', 'dispatched', 'busy', 'off_duty']);
export type UnitStatus = z.infer<typeof UnitStatus>;
