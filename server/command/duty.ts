/**
 * Whether person `person` of department `department` is on duty at station `station` today
 * (Asia/Shanghai), as SQL over those three expressions. A day with a duty roster for the
 * department (issue 10, S5) names who is on duty; a day without one keeps the earlier rule:
 * all the department's staff at the station.
 */
export function onDutySql(station: string, department: string, person: string): string {
  const today = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;
  return `(NOT EXISTS (SELECT 1 FROM duty_roster dr WHERE dr.station_id = ${station} AND dr.department_id = ${department} AND dr.day = ${today})
           OR EXISTS (SELECT 1 FROM duty_roster dr WHERE dr.station_id = ${station} AND dr.department_id = ${department} AND dr.day = ${today}
                         AND dr.person_id = ${person}))`;
}
