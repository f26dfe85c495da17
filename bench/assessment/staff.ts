// The people the scores are of (issue 15: 4,000 people over 26 stations): the demo roster (4,219
// people with their person_roles: S7 leaders, S5 department staff, S6 grid staff), plus staff of
// the departments events are routed to that the demo does not station (rotating and on-call ones,
// S5), each person with an account of their own role, since a person's score follows the log
// steps their account took. Then who does which step: the station's 常务副站长 accepts (S7), the
// department's staff or else the village's 网格长 handles, the grid's 专职网格员 verifies (S12).
import type { Db } from '../../server/db/pool';
import { hashPassword } from '../../server/auth/password';

/** Staff added per station for each routed department the station has no staff of. */
const ADDED_PER_DEPARTMENT = 2;

export interface Staff {
  people: number;
  accounts: number;
  added: number;
  handlers: number;
}

export async function prepareStaff(db: Db): Promise<Staff> {
  const { rowCount: added } = await db.query(
    `WITH need AS (
       SELECT s.id AS station_id, d.id AS department_id, d.name, k
         FROM stations s
        CROSS JOIN (SELECT DISTINCT department_code FROM categories WHERE department_code IS NOT NULL) c
         JOIN departments d ON d.code = c.department_code
        CROSS JOIN generate_series(1, ${ADDED_PER_DEPARTMENT}) AS k
        WHERE NOT EXISTS (SELECT 1 FROM person_roles r WHERE r.station_id = s.id AND r.department_id = d.id AND r.role = 'dept_staff')),
     p AS (
       INSERT INTO people (name, department_id, station_id)
       SELECT '压测' || name || station_id || '-' || k, department_id, station_id FROM need ORDER BY station_id, department_id, k
       RETURNING id, department_id, station_id)
     INSERT INTO person_roles (person_id, role, station_id, department_id)
     SELECT id, 'dept_staff', station_id, department_id FROM p`,
  );
  // One hash for all: a scrypt per account would cost minutes and measure nothing here.
  const hash = await hashPassword('bench-not-for-login');
  const { rowCount: accounts } = await db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id)
     SELECT 'bench-p' || p.id, $1, r.role, p.name, r.station_id, p.id
       FROM people p
       JOIN LATERAL (SELECT role, station_id FROM person_roles WHERE person_id = p.id AND station_id IS NOT NULL ORDER BY id LIMIT 1) r ON true
      WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)`,
    [hash],
  );
  // Who takes which step, by station, department, village and grid; the log generator joins these.
  await db.query(
    `CREATE TABLE bench_acceptors AS
     SELECT DISTINCT ON (r.station_id) r.station_id, a.id AS account_id, a.display_name AS name
       FROM person_roles r JOIN accounts a ON a.person_id = r.person_id
      WHERE r.role = 'deputy_chief' ORDER BY r.station_id, a.id`,
  );
  await db.query(
    `CREATE TABLE bench_dept_handlers AS
     SELECT r.station_id, d.code AS department_code, a.id AS account_id, a.display_name AS name,
            (row_number() OVER w - 1)::int AS k, (count(*) OVER (PARTITION BY r.station_id, d.code))::int AS n
       FROM person_roles r JOIN departments d ON d.id = r.department_id JOIN accounts a ON a.person_id = r.person_id
      WHERE r.role = 'dept_staff'
     WINDOW w AS (PARTITION BY r.station_id, d.code ORDER BY a.id)`,
  );
  await db.query(`CREATE UNIQUE INDEX ON bench_dept_handlers (station_id, department_code, k)`);
  await db.query(
    `CREATE TABLE bench_village_handlers AS
     SELECT DISTINCT ON (g.parent_code) g.parent_code AS village_code, a.id AS account_id, a.display_name AS name
       FROM person_roles r JOIN regions g ON g.code = r.grid_code JOIN accounts a ON a.person_id = r.person_id
      WHERE r.role = 'grid_leader' ORDER BY g.parent_code, a.id`,
  );
  await db.query(`CREATE UNIQUE INDEX ON bench_village_handlers (village_code)`);
  await db.query(
    `CREATE TABLE bench_verifiers AS
     SELECT DISTINCT ON (r.grid_code) r.grid_code, a.id AS account_id, a.display_name AS name
       FROM person_roles r JOIN accounts a ON a.person_id = r.person_id
      WHERE r.role = 'gridder_full' ORDER BY r.grid_code, a.id`,
  );
  await db.query(`CREATE UNIQUE INDEX ON bench_verifiers (grid_code)`);
  for (const t of ['bench_acceptors', 'bench_dept_handlers', 'bench_village_handlers', 'bench_verifiers']) await db.query(`ANALYZE ${t}`);
  const { rows } = await db.query<{ people: number; handlers: number }>(
    `SELECT (SELECT count(*)::int FROM people) AS people,
            (SELECT count(*)::int FROM bench_dept_handlers) + (SELECT count(*)::int FROM bench_village_handlers) AS handlers`,
  );
  return { people: rows[0].people, accounts: accounts ?? 0, added: added ?? 0, handlers: rows[0].handlers };
}
