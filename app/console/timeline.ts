import { CARD_LABEL, EVENT_ACTION_LABEL, type Card, type EventLogStep } from '@/lib/contracts/events';
import { EVENT_STATE_LABEL, type EventAction } from '@/lib/events/machine';
import { ROLE_LABEL, type Role } from '@/lib/roles';

/** Steps that are not a user's action on the machine, as the log records them. */
const STEP_LABEL: Record<string, string> = { report: '上报', supervise: '督办', task_done: '子任务完成', mediation: '调解' };

export function stateLabel(state: string | null): string {
  if (state === null) return '';
  return (EVENT_STATE_LABEL as Record<string, string>)[state] ?? state;
}

export function actionLabel(action: EventLogStep['action']): string {
  if (action === null) return '记录';
  return (EVENT_ACTION_LABEL as Record<EventAction, string>)[action as EventAction] ?? STEP_LABEL[action] ?? action;
}

export function roleLabel(role: string | null): string {
  if (role === null) return '';
  if (role === 'system') return '系统';
  if (role === 'citizen') return '群众';
  return (ROLE_LABEL as Record<string, string>)[role as Role] ?? role;
}

/** What a step's data adds, in words: where it was routed, with whom, into which event, which card. */
export function stepDetails(data: EventLogStep['data'], departmentName: (code: string) => string): string[] {
  if (!data) return [];
  const out: string[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const department = str(data.department);
  const from = str(data.from);
  if (department) out.push(from && from !== department ? `部门：${departmentName(from)} → ${departmentName(department)}` : `部门：${departmentName(department)}`);
  if (Array.isArray(data.departments) && data.departments.length)
    out.push(`协同部门：${data.departments.filter((d): d is string => typeof d === 'string').map(departmentName).join('、')}`);
  if (typeof data.into === 'number') out.push(`合并到 #${data.into}`);
  const card = str(data.card);
  if (card && card in CARD_LABEL && card !== 'none') out.push(CARD_LABEL[card as Card]);
  if (Array.isArray(data.photos) && data.photos.length) out.push(`照片 ${data.photos.length} 张`);
  return out;
}
