import { KPI_READERS } from '@/lib/analytics/kpis';
import type { Role } from '@/lib/roles';

/**
 * Who reads the cockpit (issue 13): the readers of the KPI routes — the district's roles, a
 * station's two leaders (S7) and the wall screens. The routes enforce it; the page only says so in words.
 */
export const COCKPIT_ROLES: readonly Role[] = KPI_READERS;

/** Roles bound to one station (lib/access/scope.ts reachOf): their cockpit opens on it and goes no higher. */
export const STATION_BOUND: readonly Role[] = ['station_chief', 'deputy_chief', 'display'];

/** Roles with the console, where an event of a list opens. */
export const CONSOLE_ROLES: readonly Role[] = ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief'];
