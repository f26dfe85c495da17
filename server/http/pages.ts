import { can, homeOf, type Role } from '@/lib/roles';
import { ASSESSMENT_READERS } from '@/lib/assessment/rules';
import { POINTS_DESK_ROLES } from '@/lib/points/access';
import type { Session } from '../auth/session';

/** Which roles may open each page; anyone else is sent to their own home page. */
const PAGE_ROLES: Record<string, (role: Role) => boolean> = {
  '/wall': () => true,
  '/admin': (r) => r === 'admin',
  '/audit': (r) => ['admin', 'district_leader', 'district_operator'].includes(r),
  '/console': (r) => ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief', 'dept_staff'].includes(r),
  // Mediators work their cases and print the agreement there (S4); the rest of the console is the station's leaders'.
  '/console/mediation': (r) => ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief', 'mediator'].includes(r),
  '/console/points': (r) => POINTS_DESK_ROLES.includes(r),
  // 考评得分 and 考评细则 (issue 15, S13): the district and the station's two leaders; dept_staff keeps the rest of /console.
  '/console/assessment': (r) => ASSESSMENT_READERS.includes(r),
  // The monthly report and its printable page (issue 15): the district and a station's two leaders.
  '/console/reports': (r) => can(r, 'generateReports'),
  // The towns' yearly reviews and accountability records (issue 15; S13, S14): the district and the station's two leaders.
  '/console/reviews': (r) => ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief'].includes(r),
  '/console/accountability': (r) => ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief'].includes(r),
  '/field': (r) => r !== 'display',
  // Any session: the cockpit itself tells a role that may not read it so (无权查看, issue 13).
  '/cockpit': () => true,
};

/** Where to send a request for a protected page, or null to let it through. */
export function pageRedirect(pathname: string, search: string, session: Session | null): string | null {
  // The longest prefix decides: /console/mediation has its own rule within /console.
  const page = Object.keys(PAGE_ROLES)
    .filter((p) => pathname === p || pathname.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (!page) return null;
  if (!session) return `/login?next=${encodeURIComponent(pathname + search)}`;
  return PAGE_ROLES[page](session.role) ? null : homeOf(session.role);
}
