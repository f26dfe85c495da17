import type { AppContext } from '../context';
import { inTransaction } from '../db/pool';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';
import { enqueue } from '../outbox/outbox';
import type { StaffActor } from './viewer';

/**
 * A department marks its part of a joint remediation done (S12 "joint remediation when needed").
 * The event's own state does not move: the station still records the handling as one feedback.
 * Department staff close their own department's task; leaders of the station may close any.
 */
export async function completeTask(app: AppContext, actor: StaffActor, eventId: number, taskId: number, note: string | undefined, ip?: string): Promise<void> {
  await inTransaction(app.db, async (tx) => {
    const { rows } = await tx.query<{ department: string; state: string; eventState: string; stationId: number | null }>(
      `SELECT t.department_code AS department, t.state, e.state AS "eventState", e.station_id AS "stationId"
         FROM event_tasks t JOIN events e ON e.id = t.event_id WHERE t.id = $1 AND t.event_id = $2 FOR UPDATE OF t`,
      [taskId, eventId],
    );
    const t = rows[0];
    // Another station's task answers as a missing one (issue 10): its own department's staff there close it, not ours.
    if (!t || actor.stationId === null || actor.stationId !== t.stationId) throw new DomainError('not_found', 'not_found', `子任务 ${taskId} 不存在`);
    const leader = actor.role === 'deputy_chief' || actor.role === 'station_chief';
    if (!leader && !(actor.role === 'dept_staff' && actor.department === t.department))
      throw new DomainError('forbidden', 'out_of_scope', '只能完成本部门的子任务');
    if (t.state === 'done') return;
    if (!['coordinated', 'in_progress'].includes(t.eventState)) throw new DomainError('conflict', 'invalid_transition', `事件处于 ${t.eventState}，不能完成子任务`);
    await tx.query(`UPDATE event_tasks SET state = 'done', done_at = now(), done_by = $2, note = $3 WHERE id = $1`, [taskId, actor.uid, note ?? null]);
    await tx.query(
      `INSERT INTO event_log (event_id, actor_id, actor_role, actor_name, from_state, to_state, action, note, data)
       VALUES ($1, $2, $3, $4, $5, $5, 'task_done', $6, $7)`,
      [eventId, actor.uid, actor.role, actor.name, t.eventState, note ?? null, { department: t.department, task: taskId }],
    );
    await audit(tx, actor, { action: 'event.task_done', target: `event:${eventId}`, detail: { task: taskId, department: t.department }, ip });
    await enqueue(tx, 'incident', [eventId]);
  });
}
