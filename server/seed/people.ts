import { DEPARTMENTS } from '@/lib/departments';
import { seededRandom } from '@/lib/random';
import type { Role } from '@/lib/roles';
import type { UnitKind } from '@/lib/units';
import type { Tx } from '../db/pool';
import { personName, phone } from './names';

interface Person { id: number; name: string; phone: string; department: string | null }
interface PersonRole { personId: number; role: Role; stationId: number | null; gridCode: string | null; department: string | null }
interface Unit { code: string; name: string; kind: UnitKind; isTeam: boolean; department: string | null; stationId: number; personId: number | null; gridCode: string | null }

export interface Roster {
  people: Person[];
  roles: PersonRole[];
  units: Unit[];
}

interface StationRow { id: number; code: string; name: string; villages: { code: string; grids: string[] }[] }

// S5 resident departments keep people in the station every day; these are their demo headcounts.
const RESIDENT_STAFF: Record<string, { kind: UnitKind; people: number; team: string }> = {
  police: { kind: 'police', people: 3, team: '巡逻警车' },
  enforcement: { kind: 'enforcement', people: 2, team: '执法中队' },
  market: { kind: 'market', people: 2, team: '市场监管所' },
};

/** Builds a deterministic roster: S7 leaders, S5 department staff, S6 grid staff, mediators, volunteers. */
export function buildRoster(stations: StationRow[]): Roster {
  const rand = seededRandom(330503);
  const people: Person[] = [];
  const roles: PersonRole[] = [];
  const units: Unit[] = [];
  const person = (role: Role, at: Partial<Omit<PersonRole, 'personId' | 'role'>>): Person => {
    const p = { id: people.length + 1, name: personName(rand), phone: phone(rand), department: at.department ?? null };
    people.push(p);
    roles.push({ personId: p.id, role, stationId: at.stationId ?? null, gridCode: at.gridCode ?? null, department: at.department ?? null });
    return p;
  };

  for (const st of stations) {
    person('station_chief', { stationId: st.id });
    person('deputy_chief', { stationId: st.id, department: 'police' });
    for (const [dept, staff] of Object.entries(RESIDENT_STAFF)) {
      for (let i = 1; i <= staff.people; i++) {
        const p = person('dept_staff', { stationId: st.id, department: dept });
        units.push({ code: `${st.code}-${dept}-${i}`, name: p.name, kind: staff.kind, isTeam: false, department: dept, stationId: st.id, personId: p.id, gridCode: null });
      }
      units.push({ code: `${st.code}-${dept}-team`, name: `${st.name.slice(0, 6)}${staff.team}`, kind: staff.kind, isTeam: true, department: dept, stationId: st.id, personId: null, gridCode: null });
    }
    for (let i = 1; i <= 2; i++) {
      const p = person('mediator', { stationId: st.id });
      units.push({ code: `${st.code}-mediator-${i}`, name: p.name, kind: 'mediator', isTeam: false, department: 'justice', stationId: st.id, personId: p.id, gridCode: null });
    }
    for (const v of st.villages) {
      person('grid_leader', { stationId: st.id, gridCode: v.grids[0] });
      person('grid_instructor', { stationId: st.id, gridCode: v.grids[0] });
      const gp = person('grid_police', { stationId: st.id, gridCode: v.grids[0], department: 'police' });
      units.push({ code: `${v.code}-police`, name: gp.name, kind: 'police', isTeam: false, department: 'police', stationId: st.id, personId: gp.id, gridCode: v.grids[0] });
      const vol = person('volunteer', { stationId: st.id, gridCode: v.grids[0] });
      units.push({ code: `${v.code}-volunteer`, name: vol.name, kind: 'volunteer', isTeam: false, department: null, stationId: st.id, personId: vol.id, gridCode: v.grids[0] });
      for (const g of v.grids) {
        const full = person('gridder_full', { stationId: st.id, gridCode: g });
        units.push({ code: `${g}-gridder`, name: full.name, kind: 'gridder', isTeam: false, department: null, stationId: st.id, personId: full.id, gridCode: g });
        person('gridder_part', { stationId: st.id, gridCode: g });
        person('grid_info', { stationId: st.id, gridCode: g });
      }
    }
  }
  return { people, roles, units };
}

export async function loadStationRows(tx: Tx): Promise<StationRow[]> {
  const { rows } = await tx.query<StationRow>(
    `SELECT s.id, s.code, s.name,
            json_agg(json_build_object('code', sv.village_code,
              'grids', (SELECT json_agg(g.code ORDER BY g.code) FROM regions g WHERE g.parent_code = sv.village_code))
              ORDER BY sv.village_code) AS villages
       FROM stations s JOIN station_villages sv ON sv.station_id = s.id
      GROUP BY s.id ORDER BY s.id`,
  );
  return rows;
}

/** Departments and, per station, their S5 residency and a rotation roster for the coming weeks. */
export async function seedDepartments(tx: Tx, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO departments (code, name, default_residency)
     SELECT d->>'code', d->>'name', d->>'residency' FROM json_array_elements($1::json) AS d
     ON CONFLICT (code) DO NOTHING`,
    [JSON.stringify(DEPARTMENTS)],
  );
  await tx.query(
    `INSERT INTO station_departments (station_id, department_id, residency)
     SELECT s.id, d.id, d.default_residency FROM stations s CROSS JOIN departments d`,
  );
  // Each rotating department sits in each station one weekday a week, 09:00–17:00 Beijing time.
  await tx.query(
    `INSERT INTO department_rotations (station_id, department_id, starts_at, ends_at)
     SELECT sd.station_id, sd.department_id,
            (day + interval '9 hours') AT TIME ZONE 'Asia/Shanghai', (day + interval '17 hours') AT TIME ZONE 'Asia/Shanghai'
       FROM (SELECT sd.*, row_number() OVER (PARTITION BY sd.station_id ORDER BY sd.department_id) AS n
               FROM station_departments sd WHERE sd.residency = 'rotating') sd,
            LATERAL (SELECT date_trunc('week', $1::timestamptz AT TIME ZONE 'Asia/Shanghai')
                              + (w * 7 + (sd.n - 1) % 5) * interval '1 day' AS day
                       FROM generate_series(0, 7) AS w) AS days`,
    [now.toISOString()],
  );
}

export async function insertRoster(tx: Tx, r: Roster): Promise<void> {
  await tx.query(
    `INSERT INTO people (id, name, phone, department_id)
     SELECT (p->>'id')::int, p->>'name', p->>'phone', d.id
       FROM json_array_elements($1::json) AS p LEFT JOIN departments d ON d.code = p->>'department'`,
    [JSON.stringify(r.people)],
  );
  await tx.query(`SELECT setval('people_id_seq', (SELECT max(id) FROM people))`);
  await tx.query(
    `INSERT INTO person_roles (person_id, role, station_id, grid_code, department_id)
     SELECT (x->>'personId')::int, x->>'role', (x->>'stationId')::int, x->>'gridCode', d.id
       FROM json_array_elements($1::json) AS x LEFT JOIN departments d ON d.code = x->>'department'`,
    [JSON.stringify(r.roles)],
  );
  // A person belongs to the station of their roles (issue 10: master data edits people by station).
  await tx.query(`UPDATE people p SET station_id = r.station_id FROM person_roles r WHERE r.person_id = p.id AND r.station_id IS NOT NULL`);
  await tx.query(
    `INSERT INTO units (code, name, kind, is_team, mobility, department_id, station_id, person_id, grid_code, last_position, last_seen_at)
     SELECT u->>'code', u->>'name', u->>'kind', (u->>'isTeam')::boolean,
            CASE WHEN (u->>'isTeam')::boolean THEN 'vehicle' ELSE 'foot' END, d.id, (u->>'stationId')::int,
            (u->>'personId')::int, u->>'gridCode',
            coalesce((SELECT ST_PointOnSurface(g.geom) FROM regions g WHERE g.code = u->>'gridCode'), s.location),
            NULL
       FROM json_array_elements($1::json) AS u
       JOIN stations s ON s.id = (u->>'stationId')::int
       LEFT JOIN departments d ON d.code = u->>'department'`,
    [JSON.stringify(r.units)],
  );
}
