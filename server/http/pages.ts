import { homeOf, type Role } from '@/lib/roles';
import type { Session } from '../auth/session';

/** Which roles may open each page; anyone else is sent to their own home page. */
const PAGE_ROLES: Record<string, (role: Role) => boolean> = {
  '/wall': () => true,
  '/admin': (r) => r === 'admin',
  '/audit': (r) => ['admin', 'district_leader', 'district_operator'].includes(r),
  '/console': (r) => ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief', 'dept_staff'].includes(r),
  // Mediators work their cases and print the agreement there (S4); the rest of the console is the station's leaders'.
  '/console/mediation': (r) => ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief', 'mediator'].includes(r),
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
