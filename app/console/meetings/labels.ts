import type { ConsultationV1 } from '@/lib/contracts/command';
import { ROLE_LABEL } from '@/lib/roles';

export const STATE_LABEL: Record<ConsultationV1['state'], string> = { scheduled: '待召开', open: '进行中', closed: '已结束' };

/** An invitee's role as a word ('department': a department invited as such, e.g. on call); a role this build does not know shows as sent. */
export function roleLabel(role: string): string {
  if (role === 'department') return '部门';
  return (ROLE_LABEL as Record<string, string | undefined>)[role] ?? role;
}

export const INSPECTION_KIND_LABEL = { department_weekly: '部门周巡查', station_monthly: '全站月度联查' } as const;
export type InspectionKind = keyof typeof INSPECTION_KIND_LABEL;

/** What a decision set going at once (DecisionV1.spawn). */
export const SPAWN_LABEL: Record<string, string> = { none: '无', dispatch: '派遣单位', task: '部门任务' };
