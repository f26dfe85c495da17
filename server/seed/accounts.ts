import { DISTRICT_ROLES, ROLE_LABEL, type Role } from '@/lib/roles';
import { hashPassword } from '../auth/password';
import { DEMO_PASSWORD } from '../config';
import type { Tx } from '../db/pool';
import { insertAccount } from '../repo/accounts';

/** One demo login per role (README lists them); the station roles all in the first station so they meet in e2e tests, the district roles in none (their reach is the district, issue 10). */
export const DEMO_ACCOUNTS: { username: string; role: Exclude<Role, 'display'> }[] = [
  { username: 'admin', role: 'admin' },
  { username: 'leader', role: 'district_leader' },
  { username: 'operator', role: 'district_operator' },
  { username: 'chief', role: 'station_chief' },
  { username: 'deputy', role: 'deputy_chief' },
  { username: 'police', role: 'dept_staff' },
  { username: 'gridleader', role: 'grid_leader' },
  { username: 'instructor', role: 'grid_instructor' },
  { username: 'gridder', role: 'gridder_full' },
  { username: 'parttime', role: 'gridder_part' },
  { username: 'informant', role: 'grid_info' },
  { username: 'gridpolice', role: 'grid_police' },
  { username: 'mediator', role: 'mediator' },
  { username: 'volunteer', role: 'volunteer' },
];

export async function seedDemoAccounts(tx: Tx, stationId: number): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const a of DEMO_ACCOUNTS) {
    const { rows } = await tx.query<{ id: number; name: string }>(
      `SELECT p.id, p.name FROM person_roles r JOIN people p ON p.id = r.person_id
        WHERE r.role = $1 AND r.station_id = $2 ORDER BY p.id LIMIT 1`,
      [a.role, stationId],
    );
    const person = rows[0];
    await insertAccount(tx, {
      username: a.username,
      passwordHash: hash,
      role: a.role,
      displayName: person?.name ?? ROLE_LABEL[a.role],
      stationId: DISTRICT_ROLES.includes(a.role) ? null : stationId,
      personId: person?.id ?? null,
    });
  }
}
