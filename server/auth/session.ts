import { createHmac, randomBytes } from 'node:crypto';
import type { Role } from '@/lib/roles';

export const SESSION_COOKIE = 'ld_session';
/** A staff session lasts one long shift and is never extended (issue 10: absolute lifetime). */
export const STAFF_TTL_S = 12 * 3600;
/** A wall screen runs unattended; after 30 days it is opened again with its display token. */
export const DISPLAY_TTL_S = 30 * 24 * 3600;

/** Who is on the other end of a request or socket: held on the server, named by the cookie. */
export interface Session {
  /** The session's id (the HMAC of its cookie token). */
  sid: string;
  /** Account id; 0 for a display screen, which is no account. */
  uid: number;
  role: Role;
  name: string;
  stationId: number | null;
  /** A display session's screen; null for staff and for the deployment's DISPLAY_TOKEN wall. */
  displayId: number | null;
  /** Epoch seconds. */
  exp: number;
}

export const ttlOf = (role: Role): number => (role === 'display' ? DISPLAY_TTL_S : STAFF_TTL_S);

/** A fresh cookie token: 256 random bits, URL-safe. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** The stored id of a token. Keyed, so a copy of the table cannot be turned into cookies. */
export const sessionId = (secret: string, token: string): string => createHmac('sha256', secret).update(token).digest('base64url');

/**
 * Cookies by name. A malformed value (a stray `%`) is kept raw instead of throwing: one bad cookie
 * of some other site path used to make every request answer 500.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (!key || key in out) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

export function sessionCookie(value: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
