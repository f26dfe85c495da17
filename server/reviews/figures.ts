import { areaRef } from '@/lib/analytics/area';
import { ZERO_COUNTERS } from '@/lib/analytics/figures';
import { DEPARTMENTS } from '@/lib/departments';
import type { PulledFigureV1 } from '@/lib/contracts/reviews';
import { FIGURES, type FigureCode } from '@/lib/reviews/checklist';
import type { Db, Tx } from '../db/pool';
import { resolveArea } from '../analytics/areas';
import { countersRollup, mediation } from '../analytics/figures';

/*
 * The figures a station's yearly review pulls from the system (issue 15 point 3): its build from
 * station_units, staffing from the roster (person_roles, station_departments, duty_roster, the
 * station's grids), rules followed from consultations and inspections held, results from the
 * cockpit's own figures (server/analytics, the same 口径 as the KPIs). Taken once when the review
 * is opened (or pulled again while it is a draft) and stored with its items, so a scored review
 * keeps the figures it was scored on.
 */

/** S5: the departments that must sit in every station all the time. */
const MUST_RESIDE: readonly string[] = DEPARTMENTS.filter((d) => d.residency === 'resident').map((d) => d.code);

const count = (code: FigureCode, value: number, detail?: string): PulledFigureV1 =>
  ({ code, label: FIGURES[code].label, unit: FIGURES[code].unit, value, ...(detail ? { detail } : {}) });
const ratio = (code: FigureCode, num: number, den: number): PulledFigureV1 =>
  ({ code, label: FIGURES[code].label, unit: 'ratio', value: den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null, num, den });

export async function pullFigures(db: Db | Tx, stationId: number, year: number): Promise<Map<FigureCode, PulledFigureV1>> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const { rows: [r] } = await db.query<{
    units: number; unitNames: string | null; studios: number; mediators: number;
    weekly: number; monthly: number; emergency: number; inspWeekly: number; inspMonthly: number;
    chiefs: number; deputies: number; deptStaff: number; rosterDays: number;
    grids: number; griddersFull: number; gridsWithout: number;
  }>(
    `SELECT
       (SELECT count(DISTINCT kind)::int FROM station_units WHERE station_id = $1) AS units,
       (SELECT string_agg(name, '、' ORDER BY kind) FROM station_units WHERE station_id = $1) AS "unitNames",
       (SELECT count(*)::int FROM mediation_studios WHERE station_id = $1 AND active) AS studios,
       (SELECT count(*)::int FROM mediators WHERE station_id = $1 AND active) AS mediators,
       (SELECT count(*) FILTER (WHERE kind = 'weekly')::int FROM consultations
         WHERE station_id = $1 AND started_at IS NOT NULL AND (started_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $2::date AND $3::date) AS weekly,
       (SELECT count(*) FILTER (WHERE kind = 'monthly')::int FROM consultations
         WHERE station_id = $1 AND started_at IS NOT NULL AND (started_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $2::date AND $3::date) AS monthly,
       (SELECT count(*) FILTER (WHERE kind = 'emergency')::int FROM consultations
         WHERE station_id = $1 AND started_at IS NOT NULL AND (started_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $2::date AND $3::date) AS emergency,
       (SELECT count(*) FILTER (WHERE kind = 'department_weekly')::int FROM inspections WHERE station_id = $1 AND day BETWEEN $2::date AND $3::date) AS "inspWeekly",
       (SELECT count(*) FILTER (WHERE kind = 'station_monthly')::int FROM inspections WHERE station_id = $1 AND day BETWEEN $2::date AND $3::date) AS "inspMonthly",
       (SELECT count(DISTINCT person_id)::int FROM person_roles WHERE station_id = $1 AND role = 'station_chief') AS chiefs,
       (SELECT count(DISTINCT person_id)::int FROM person_roles WHERE station_id = $1 AND role = 'deputy_chief') AS deputies,
       (SELECT count(DISTINCT person_id)::int FROM person_roles WHERE station_id = $1 AND role = 'dept_staff') AS "deptStaff",
       (SELECT count(DISTINCT day)::int FROM duty_roster WHERE station_id = $1 AND day BETWEEN $2::date AND $3::date) AS "rosterDays",
       (SELECT count(*)::int FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.level = 'grid' AND sv.station_id = $1) AS grids,
       (SELECT count(DISTINCT r.person_id)::int FROM person_roles r WHERE r.station_id = $1 AND r.role = 'gridder_full') AS "griddersFull",
       (SELECT count(*)::int FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
         WHERE g.level = 'grid' AND sv.station_id = $1
           AND NOT EXISTS (SELECT 1 FROM person_roles r WHERE r.grid_code = g.code AND r.role = 'gridder_full')) AS "gridsWithout"`,
    [stationId, from, to],
  );
  const { rows: depts } = await db.query<{ code: string; name: string; residency: 'resident' | 'rotating' | 'on_call' }>(
    `SELECT d.code, d.name, sd.residency FROM station_departments sd JOIN departments d ON d.id = sd.department_id WHERE sd.station_id = $1 ORDER BY d.id`,
    [stationId],
  );
  const of = (res: string) => depts.filter((d) => d.residency === res);
  const names = (list: { name: string }[]) => list.map((d) => d.name).join('、') || undefined;
  const residentCodes = new Set(of('resident').map((d) => d.code));
  const missing = DEPARTMENTS.filter((d) => MUST_RESIDE.includes(d.code) && !residentCodes.has(d.code));

  // The cockpit's readers ask nothing of a pool but query(), so the seed's transaction serves as well.
  const pool = db as Db;
  const area = await resolveArea(pool, areaRef('station', stationId));
  const range = { from, to };
  const counters = area ? ((await countersRollup(pool, area, range)).get('') ?? ZERO_COUNTERS) : ZERO_COUNTERS;
  const med = area ? ((await mediation(pool, area, range))?.get('') ?? { num: 0, den: 0 }) : { num: 0, den: 0 };

  const list: PulledFigureV1[] = [
    count('station_units', r.units, r.unitNames ?? undefined),
    count('events_counted', counters.counted),
    count('mediation_studios', r.studios),
    count('mediators', r.mediators),
    count('consult_weekly', r.weekly),
    count('consult_monthly', r.monthly),
    count('consult_emergency', r.emergency),
    count('inspections_weekly', r.inspWeekly),
    count('inspections_monthly', r.inspMonthly),
    count('chiefs', r.chiefs),
    count('deputies', r.deputies),
    count('depts_resident', of('resident').length, names(of('resident'))),
    count('depts_rotating', of('rotating').length, names(of('rotating'))),
    count('depts_on_call', of('on_call').length, names(of('on_call'))),
    count('resident_missing', missing.length, names(missing)),
    count('dept_staff', r.deptStaff),
    count('roster_days', r.rosterDays),
    count('grids', r.grids),
    count('gridders_full', r.griddersFull),
    { ...count('gridders_per_grid', r.grids > 0 ? Math.round((r.griddersFull / r.grids) * 100) / 100 : 0), ...(r.grids > 0 ? {} : { value: null }) },
    count('grids_without_full', r.gridsWithout),
    ratio('on_time', counters.closedOnTime, counters.closed),
    ratio('satisfaction', counters.satisfied, counters.rated),
    ratio('mediation_success', med.num, med.den),
  ];
  return new Map(list.map((f) => [f.code as FigureCode, f]));
}
