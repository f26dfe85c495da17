import type { Invitee } from '@/lib/command/meetings';
import type { Tx } from '../db/pool';
import { onDutySql } from './duty';

/**
 * Invites by rule (S11). People come from the station's roster (person_roles) with their account
 * when they have one; of a department, those on duty today where it has a duty roster (issue 10);
 * a stationed department with nobody on the roster is invited as such.
 */
export async function inviteByRule(
  tx: Tx, consultationId: number, stationId: number, rules: readonly Invitee[] | readonly string[], opts: { gridCodes?: string[]; onCall?: boolean } = {},
): Promise<void> {
  const want = new Set<string>(rules);
  // One statement, one row per person: the first matching rule names the reason.
  await tx.query(
    `INSERT INTO consultation_invitees (consultation_id, person_id, account_id, department_code, name, role, reason)
     SELECT DISTINCT ON (p.id) $1, p.id,
            (SELECT a.id FROM accounts a WHERE a.person_id = p.id AND NOT a.disabled ORDER BY a.id LIMIT 1),
            d.code, p.name, r.role, x.reason
       FROM person_roles r
       JOIN people p ON p.id = r.person_id
       LEFT JOIN departments d ON d.id = coalesce(r.department_id, p.department_id)
       LEFT JOIN station_departments sd ON sd.station_id = r.station_id AND sd.department_id = d.id
       CROSS JOIN LATERAL (VALUES
         (1, r.role = 'station_chief' AND $3, '站长'),
         (2, r.role = 'deputy_chief' AND $4, '常务副站长'),
         (3, r.role = 'dept_staff' AND $5 AND (sd.residency = 'resident' OR EXISTS (
               SELECT 1 FROM department_rotations dr WHERE dr.station_id = r.station_id AND dr.department_id = d.id
                  AND now() BETWEEN dr.starts_at AND dr.ends_at)) AND ${onDutySql('r.station_id', 'd.id', 'p.id')}, '常驻部门值班'),
         (4, r.role = 'dept_staff' AND $6, '入驻部门'),
         (5, r.role = 'gridder_full' AND ($7 OR r.grid_code = ANY($8::text[])), '专职网格员'),
         (6, r.role = 'grid_leader' AND $9, '村（社区）负责人')
       ) AS x(n, hit, reason)
      WHERE r.station_id = $2 AND x.hit
      ORDER BY p.id, x.n
     ON CONFLICT DO NOTHING`,
    [consultationId, stationId, want.has('station_chief'), want.has('deputy_chief'), want.has('resident_departments'),
      want.has('all_departments'), want.has('gridder_full') && !opts.gridCodes, opts.gridCodes ?? [], want.has('village_heads')],
  );
  // Departments without anyone on the roster: on call (S5) when asked, every stationed one at the monthly meeting.
  const residency = want.has('all_departments') ? ['resident', 'rotating', 'on_call'] : opts.onCall ? ['on_call'] : [];
  if (residency.length)
    await tx.query(
      `INSERT INTO consultation_invitees (consultation_id, department_code, name, role, reason)
       SELECT $1, d.code, d.name, 'department', CASE sd.residency WHEN 'on_call' THEN '联驻部门' ELSE '入驻部门' END
         FROM station_departments sd JOIN departments d ON d.id = sd.department_id
        WHERE sd.station_id = $2 AND sd.residency = ANY($3::text[])
          AND NOT EXISTS (SELECT 1 FROM consultation_invitees i WHERE i.consultation_id = $1 AND i.department_code = d.code)
       ON CONFLICT DO NOTHING`,
      [consultationId, stationId, residency],
    );
  if (want.has('public_representatives'))
    await tx.query(
      `INSERT INTO consultation_invitees (consultation_id, name, role, reason) VALUES ($1, '群众代表（受邀）', 'public', '群众代表')`,
      [consultationId],
    );
}
