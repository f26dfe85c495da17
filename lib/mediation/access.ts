import { DISTRICT_ROLES, type Role } from '@/lib/roles';

/**
 * Who reads mediation cases (issue 14): those who mediate (PERMISSIONS.mediate) and the district
 * roles that oversee every station; each within reach (lib/access/scope: a station's cases for its
 * staff). Grid staff, departments, volunteers and walls do not: a dispute's parties are private.
 */
export const MEDIATION_READERS: readonly Role[] = [...DISTRICT_ROLES, 'station_chief', 'deputy_chief', 'mediator'];

export const readsMediation = (role: Role): boolean => MEDIATION_READERS.includes(role);
