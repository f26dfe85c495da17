import { Role } from '@/lib/roles';
import type { Db, Tx } from '../db/pool';

export interface Account {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  displayName: string;
  stationId: number | null;
  disabled: boolean;
}

const COLUMNS = `id, username, password_hash, role, display_name, station_id, disabled`;

interface AccountRow {
  id: number;
  username: string;
  password_hash: string;
  role: string;
  display_name: string;
  station_id: number | null;
  disabled: boolean;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    role: Role.parse(r.role),
    displayName: r.display_name,
    stationId: r.station_id,
    disabled: r.disabled,
  };
}

export async function findAccount(db: Db | Tx, username: string): Promise<Account | null> {
  const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE username = $1`, [username]);
  return rows[0] ? toAccount(rows[0]) : null;
}

export async function listAccounts(db: Db | Tx): Promise<Account[]> {
  const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts ORDER BY id`);
  return rows.map(toAccount);
}

export async function insertAccount(
  q: Db | Tx,
  a: Omit<Account, 'id' | 'disabled'> & { personId?: number | null },
): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [a.username, a.passwordHash, a.role, a.displayName, a.stationId, a.personId ?? null],
  );
  return rows[0].id;
}
