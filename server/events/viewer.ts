import { reachOf, type Reach, type Viewer } from '@/lib/access/scope';
import type { Session } from '../auth/session';
import type { Db, Tx } from '../db/pool';

export interface Actor extends Viewer {
  /** null: the system (the demo simulator) acting in a role; it takes no lock and respects people's. */
  uid: number | null;
  name: string;
}

/** A person logged in (not the system). */
export type StaffActor = Actor & { uid: number };

const departments = new Map<string, { code: string | null; at: number }>();

/** The session's account with its department (department staff act on what was routed to it). */
export async function actorOf(db: Db | Tx, s: Session): Promise<StaffActor> {
  let department: string | null = null;
  if (s.role === 'dept_staff') {
    // Keyed by session: moving a person to another department ends their sessions, and with them this entry's use.
    const hit = departments.get(s.sid);
    if (hit && Date.now() - hit.at < 60_000) department = hit.code;
    else {
      const { rows } = await db.query<{ code: string }>(
        `SELECT d.code FROM accounts a JOIN people p ON p.id = a.person_id JOIN departments d ON d.id = p.department_id WHERE a.id = $1`,
        [s.uid],
      );
      department = rows[0]?.code ?? null;
      if (departments.size > 10_000) departments.clear();
      departments.set(s.sid, { code: department, at: Date.now() });
    }
  }
  return { uid: s.uid, name: s.name, role: s.role, stationId: s.stationId, department };
}

/** What the session may see (lib/access/scope): every read route asks this. */
export async function reachOfSession(db: Db | Tx, s: Session): Promise<Reach> {
  return reachOf(s.role === 'dept_staff' ? await actorOf(db, s) : { role: s.role, stationId: s.stationId, department: null });
}
