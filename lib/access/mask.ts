import { RESPONSIBLE_GRID_ROLES, type Role } from '../roles';

/**
 * Who sees a key person's personal data in clear (issue 12, S3). Everyone else who may see the
 * person at all (lib/access/scope) gets the name, ID number and phone masked and no note.
 *
 * - The responsible gridders: grid staff of the person's grid (a grid role in person_roles for
 *   that grid, or a unit of theirs placed in it). They make the visits and must know whom to visit.
 *   网格信息员 are left out: they are public volunteers (S6) who only see their own reports.
 * - The leaders: the chief and the executive deputy chief of the person's station (S7), and the
 *   district leaders.
 * - Not the administrator, the district command centre, department staff or a wall screen: running
 *   the system or watching the district needs the figures, not who the people are (least privilege;
 *   the administrator may still enter and correct the data, without reading it back).
 */
export interface MaskViewer {
  role: Role;
  stationId: number | null;
  /** Grids the viewer's person is responsible for (grid roles and units); empty for anyone else. */
  grids: readonly string[];
}

/** Where a key person belongs: the grid, and the station that grid's village is in. */
export interface KeyPersonOwner {
  gridCode: string;
  stationId: number | null;
}

/** The one rule: true when `viewer` may see this person's personal data unmasked. */
export function seesKeyPersonInClear(viewer: MaskViewer, person: KeyPersonOwner): boolean {
  if (viewer.role === 'district_leader') return true;
  const sameStation = viewer.stationId !== null && viewer.stationId === person.stationId;
  if (viewer.role === 'station_chief' || viewer.role === 'deputy_chief') return sameStation;
  if (RESPONSIBLE_GRID_ROLES.includes(viewer.role)) return sameStation && viewer.grids.includes(person.gridCode);
  return false;
}

/** 张三 → 张*: the surname stays so a list can still be read aloud in the station. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}*`;
}

/** 330503199001011234 → 330503********1234: the area code and the last four stay. */
export function maskIdNumber(id: string): string {
  return id.length <= 10 ? '*'.repeat(id.length) : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  return phone.length <= 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

interface PersonalData {
  name: string;
  idNumber: string | null;
  phone: string | null;
  note: string | null;
}

/** The person as `viewer` may see it, with `masked` saying which it is. */
export function shownTo<T extends PersonalData & KeyPersonOwner>(viewer: MaskViewer, person: T): T & { masked: boolean } {
  if (seesKeyPersonInClear(viewer, person)) return { ...person, masked: false };
  return {
    ...person,
    name: maskName(person.name),
    idNumber: person.idNumber === null ? null : maskIdNumber(person.idNumber),
    phone: person.phone === null ? null : maskPhone(person.phone),
    // Free text about a person (a diagnosis, a history) is withheld rather than masked.
    note: null,
    masked: true,
  };
}
