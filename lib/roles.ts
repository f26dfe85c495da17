import { z } from 'zod';

/**
 * Roles of staff accounts and of people in a station. S7 names the station's two leaders,
 * S6 the grid-staff types and the department staff, S12 the village cadres who co-handle what is
 * assigned to their village; `admin` runs the system and `display` is the read-only wall screen.
 * The two district roles are the only way to a district-wide view: an account with no station
 * sees nothing (issue 10).
 */
export const ROLES = [
  'admin',
  'district_leader',
  'district_operator',
  'station_chief',
  'deputy_chief',
  'dept_staff',
  'grid_leader',
  'grid_instructor',
  'gridder_full',
  'gridder_part',
  'grid_info',
  'grid_police',
  'mediator',
  'volunteer',
  'village_cadre',
  'display',
] as const;

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const ROLE_LABEL: Record<Role, string> = {
  admin: '系统管理员',
  district_leader: '区级领导',
  district_operator: '区指挥中心',
  station_chief: '站长',
  deputy_chief: '常务副站长',
  dept_staff: '部门人员',
  grid_leader: '网格长',
  grid_instructor: '网格指导员',
  gridder_full: '专职网格员',
  gridder_part: '兼职网格员',
  grid_info: '网格信息员',
  grid_police: '网格警员',
  mediator: '调解员',
  volunteer: '志愿者',
  village_cadre: '村（社区）干部',
  display: '指挥大屏',
};

/** Roles a person can hold in a station's roster (the display screen is not a person). */
export const PERSON_ROLES = ROLES.filter((r) => r !== 'display' && r !== 'admin' && r !== 'district_leader' && r !== 'district_operator');

/** Roles whose reach is the whole district, by role and never by a missing station. */
export const DISTRICT_ROLES: readonly Role[] = ['admin', 'district_leader', 'district_operator'];

/** Grid staff (S6). */
export const GRID_STAFF: readonly Role[] = [
  'grid_leader',
  'grid_instructor',
  'gridder_full',
  'gridder_part',
  'grid_info',
  'grid_police',
];

/**
 * The grid staff responsible for a grid (S3: they patrol its places and visit its key persons, so
 * their traces count as visits and patrols, and they see its key persons unmasked). The
 * information volunteer (网格信息员) is a member of the public who reports (reach 'own'), not one of them.
 */
export const RESPONSIBLE_GRID_ROLES: readonly Role[] = GRID_STAFF.filter((r) => r !== 'grid_info');

/** Who may do what. Each mutating route names one of these. */
export const PERMISSIONS = {
  /** Import or replace geography, manage accounts. */
  manageSystem: ['admin'],
  /** Master data of a station (its departments, duty roster, people, units, devices): the district, or the station's own leaders. */
  manageStation: ['admin', 'station_chief', 'deputy_chief'],
  /** Read the audit log (issue 10: the administrator and the district roles). */
  readAudit: ['admin', 'district_leader', 'district_operator'],
  /** Record a key place (S3: gridders keep base data current; leaders may too). */
  editPlaces: ['admin', 'station_chief', 'deputy_chief', ...GRID_STAFF],
  /**
   * Read the register of key persons (issue 12, S3): those who visit them (grid staff), lead the
   * station, or oversee the district; masked for most of them (lib/access/mask). Not 网格信息员 nor
   * volunteers (public members who see only their own reports), departments or mediators, nor a wall.
   */
  readKeyPersons: ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief', 'grid_leader', 'grid_instructor', 'gridder_full', 'gridder_part', 'grid_police'],
  /** Record and correct key persons: the station's leaders and its grid staff (S3), and the administrator. */
  editKeyPersons: ['admin', 'station_chief', 'deputy_chief', 'grid_leader', 'grid_instructor', 'gridder_full', 'gridder_part', 'grid_police'],
  /** Report an event into the system (S3, S12: everything found enters the system). */
  reportEvents: ROLES.filter((r) => r !== 'display'),
  /** Take steps on events; lib/events/machine says which step each role may take (S12). */
  actOnEvents: ['station_chief', 'deputy_chief', 'dept_staff', 'grid_leader', 'mediator', 'gridder_full'],
  /** Edit the taxonomy, time limits and holiday table (issue 4: taxonomy as data). */
  editTaxonomy: ['admin'],
  /** Command actions: joint dispatch, consultations, key periods (S7, S11, S12: the chief and the executive deputy chief). */
  command: ['station_chief', 'deputy_chief'],
  /** Record a joint inspection and its findings (S10: resident departments lead them with gridders and village cadres). */
  inspect: ['station_chief', 'deputy_chief', 'dept_staff', 'grid_leader', 'gridder_full'],
  /** Acknowledge a warning, turn it into an agenda item or a joint inspection: the district's leader and operator, a station's leaders (their own). */
  actOnWarnings: ['district_leader', 'district_operator', 'station_chief', 'deputy_chief'],
  /** Run the warning detectors now (after a correction of data, say): the administrator and the district's operator. */
  runWarnings: ['admin', 'district_operator'],
  /** A resident's name and phone on their request (issue 14, S14): the station's leaders and the district's; every read audited. */
  readCitizenContacts: ['station_chief', 'deputy_chief', 'district_leader', 'district_operator'],
  /** Mediation cases (issue 14; S4, S8): open, assign, record sessions, close, follow up — the mediators and the station's two leaders. */
  mediate: ['station_chief', 'deputy_chief', 'mediator'],
  /** Rewards (issue 15, S14): mark an event found false (its points taken back), record redemptions, read the station's ledgers. */
  managePoints: ['station_chief', 'deputy_chief', 'district_operator', 'admin'],
  /** 考评细则 (issue 15, S13): new versions of a year's assessment rules and their activation — the administrator and the district's operator. */
  editAssessment: ['admin', 'district_operator'],
  /** Scores (issue 15, S13): the district's manual adjustment with a reason, and scoring a period now. */
  adjustScores: ['admin', 'district_operator'],
  /** 越级信访 / 群体性事件 on an event (issue 15, S13 deductions): set by the district. */
  flagEvents: ['admin', 'district_leader', 'district_operator'],
  /** The town's yearly review of a station (issue 15, S14): the checklist, its evidence, scores and follow-up tasks — the district; a station's leaders close their own follow-up tasks. */
  reviewStations: ['admin', 'district_leader', 'district_operator'],
  /** Accountability records (issue 15, S13: 通报批评, 约谈, 问责): made and revoked by the district. */
  manageAccountability: ['admin', 'district_leader', 'district_operator'],
  /** A station's leaders mark their own station's review follow-up tasks (整改) done (issue 15, S14). */
  closeReviewTasks: ['station_chief', 'deputy_chief'],
  /** The monthly, quarterly and yearly report (issue 15): generated on demand by the district and the station's leaders (their own station's). */
  generateReports: ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief'],
  /** Answer a consultation invitation or step one's own dispatch. */
  respond: ROLES.filter((r) => r !== 'display' && !DISTRICT_ROLES.includes(r)),
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Where a role lands after login. */
export function homeOf(role: Role): '/wall' | '/console' | '/field' {
  if (role === 'display') return '/wall';
  if (role === 'admin' || role === 'station_chief' || role === 'deputy_chief') return '/console';
  if (role === 'district_leader' || role === 'district_operator') return '/wall';
  return '/field';
}
