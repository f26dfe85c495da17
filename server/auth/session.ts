import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Role } from '@/lib/roles';

export const SESSION_COOKIE = 'ld_session';
const STAFF_TTL_S = 12 * 3600;
// A wall screen runs unattended for months; its session is renewed by its token, not by a person.
const DISPLAY_TTL_S = 30 * 24 * 3600;

export const Session = z.object({
  /** Account id; 0 for a display screen, which is no account. */
  uid: z.number().int().nonnegative(),
  role: Role,
  name: z.string(),
  stationId: z.number().int().nullable(),
  exp: z.number().int(),
});
export type Session = z.infer<typeof Session>;

export type NewSession = Omit<Session, 'exp'>;

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function encodeSession(secret: string, s: NewSession, now = Date.now()): { value: string; maxAge: number } {
  const maxAge = s.role === 'display' ? DISPLAY_TTL_S : STAFF_TTL_S;
  const body = Buffer.from(JSON.stringify({ ...s, exp: Math.floor(now / 1000) + maxAge })).toString('base64url');
  return { value: `${body}.${sign(secret, body)}`, maxAge };
}

/** A session from a cookie value, or null when it is missing, forged, malformed or expired. */
export function decodeSession(secret: string, value: string | undefined, now = Date.now()): Session | null {
  if (!value) return null;
  const dot = value.lastIndexOf('.');
  if (dot < 1) return null;
  const body = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(sign(secret, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = Session.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString()));
    if (!parsed.success || parsed.data.exp * 1000 <= now) return null;
    return parsed.data;
  } catch {
    return null;
  }
}

/** A fresh cookie once half of a session's life is used, so screens that keep polling never expire. */
export function renewal(secret: string, s: Session, now = Date.now()): { value: string; maxAge: number } | null {
  const ttl = s.role === 'display' ? DISPLAY_TTL_S : STAFF_TTL_S;
  if (s.exp * 1000 - now > (ttl * 1000) / 2) return null;
  return encodeSession(secret, { uid: s.uid, role: s.role, name: s.name, stationId: s.stationId }, now);
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (key) out[key] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function sessionCookie(value: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
