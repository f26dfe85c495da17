import { DISTRICT_ROLES, type Role } from '../roles';

/** Who opens the console's 积分 page (issue 15, S14): the station's leaders (their station) and the district (any station). */
export const POINTS_DESK_ROLES: readonly Role[] = [...DISTRICT_ROLES, 'station_chief', 'deputy_chief'];
