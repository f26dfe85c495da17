import { z } from 'zod';
import { Role } from '@/lib/roles';
import type { Bus } from '../bus/bus';
import type { Db, Tx } from '../db/pool';
import { newToken, sessionId, ttlOf, type Session } from './session';

/** Ended sessions, announced to every process so each drops its cache and closes its sockets. */
export const REVOKED_CHANNEL = 'sessions.revoked.v1';
const Revoked = z.object({ sids: z.array(z.string()).max(100_000) });

/**
 * A looked-up session is trusted this long without asking the database again. Revocation does
 * not wait for it: the announcement evicts at once. The window only matters if an announcement
 * is lost (Redis down at that instant), and then it bounds how long a revoked session lives on.
 */
const CACHE_MS = 10_000;
const CACHE_MAX = 20_000;

/**
 * A live session: not revoked or expired, its account enabled and still of the role and station it
 * was opened with, its wall not revoked, a DISPLAY_TOKEN wall opened with today's token ($2).
 */
const LIVE_FROM = `FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id LEFT JOIN displays d ON d.id = s.display_id`;
const LIVE = `s.revoked_at IS NULL AND s.expires_at > now()
          AND (s.account_id IS NULL OR (NOT a.disabled AND a.role = s.role AND a.station_id IS NOT DISTINCT FROM s.station_id))
          AND (s.display_id IS NULL OR d.revoked_at IS NULL)
          AND (s.role <> 'display' OR s.display_id IS NOT NULL OR s.token_fp IS NOT DISTINCT FROM $2)`;

export interface NewSession {
  accountId: number | null;
  displayId: number | null;
  /** A wall opened with DISPLAY_TOKEN: that token's fingerprint (`tokenFingerprint`). */
  tokenFp?: string | null;
  role: Role;
  name: string;
  stationId: number | null;
}

interface Row {
  sid: string;
  uid: number | null;
  role: string;
  name: string;
  stationId: number | null;
  displayId: number | null;
  exp: string;
}

/** Server-side sessions (issue 10): created at login, checked on every request and socket event, ended by revocation. */
/** A short, keyed fingerprint of the deployment's display token: sessions opened with an older token stop working. */
export const tokenFingerprint = (secret: string, token: string): string => sessionId(secret, `display:${token}`).slice(0, 16);

export class Sessions {
  private cache = new Map<string, { session: Session | null; at: number }>();
  /** When each recently ended session was forgotten: a look-up that began before must not bring it back. */
  private forgotten = new Map<string, number>();
  private readonly displayFp: string | null;
  private listeners = new Set<(sids: ReadonlySet<string>) => void>();
  private off: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    private readonly secret: string,
    displayToken: string,
  ) {
    this.displayFp = displayToken ? tokenFingerprint(secret, displayToken) : null;
  }

  async start(): Promise<void> {
    this.off = await this.bus.subscribe(REVOKED_CHANNEL, (payload) => {
      try {
        const parsed = Revoked.safeParse(JSON.parse(payload.toString()));
        if (parsed.success) this.forget(parsed.data.sids);
      } catch {
        // A malformed announcement is dropped; the cache window still bounds what it would have ended.
      }
    });
  }

  async stop(): Promise<void> {
    await this.off?.();
  }

  /** Called with the ids of sessions that ended, on every process (the sockets' owner disconnects them). */
  onRevoked(listener: (sids: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates a session in `q`'s transaction; returns the cookie token, shown once and never stored. */
  async create(q: Db | Tx, s: NewSession, ip: string): Promise<{ token: string; session: Session; maxAge: number }> {
    const token = newToken();
    const sid = sessionId(this.secret, token);
    const maxAge = ttlOf(s.role);
    const { rows } = await q.query<{ exp: string }>(
      `INSERT INTO sessions (id, account_id, display_id, role, station_id, name, expires_at, ip, token_fp)
       VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 second', $8, $9)
       RETURNING extract(epoch FROM expires_at)::bigint::text AS exp`,
      [sid, s.accountId, s.displayId, s.role, s.stationId, s.name, maxAge, ip || null, s.tokenFp ?? null],
    );
    const session: Session = { sid, uid: s.accountId ?? 0, role: s.role, name: s.name, stationId: s.stationId, displayId: s.displayId, exp: Number(rows[0].exp) };
    return { token, session, maxAge };
  }

  /** The live session a cookie token names, or null when it is unknown, expired, revoked or its account disabled. */
  async resolve(token: string | undefined): Promise<Session | null> {
    if (!token || token.length > 100) return null;
    const sid = sessionId(this.secret, token);
    return this.bySid(sid);
  }

  /** Re-checks a session already resolved (each socket event asks this; it is a cache hit almost always). */
  async bySid(sid: string): Promise<Session | null> {
    const hit = this.cache.get(sid);
    const now = Date.now();
    if (hit && now - hit.at < CACHE_MS) return hit.session && hit.session.exp * 1000 > now ? hit.session : null;
    const started = performance.now();
    const { rows } = await this.db.query<Row>(
      `SELECT s.id AS sid, s.account_id AS uid, s.role, s.name, s.station_id AS "stationId", s.display_id AS "displayId",
              extract(epoch FROM s.expires_at)::bigint::text AS exp
         ${LIVE_FROM} WHERE s.id = $1 AND ${LIVE}`,
      [sid, this.displayFp],
    );
    // Ended while we asked: the answer is stale, whatever it says.
    if ((this.forgotten.get(sid) ?? -Infinity) >= started) return null;
    const r = rows[0];
    const role = r && Role.safeParse(r.role);
    const session: Session | null =
      r && role && role.success ? { sid, uid: r.uid ?? 0, role: role.data, name: r.name, stationId: r.stationId, displayId: r.displayId, exp: Number(r.exp) } : null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(sid, { session, at: now });
    return session;
  }

  /** Which of these sessions are still live, in one query (the socket sweep asks it for every socket at once). */
  async liveOf(sids: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.db.query<{ sid: string }>(
      `SELECT s.id AS sid ${LIVE_FROM} WHERE s.id = ANY($1::text[]) AND ${LIVE}`,
      [sids, this.displayFp],
    );
    return new Set(rows.map((r) => r.sid));
  }

  /**
   * Ends sessions inside the caller's transaction (logout, disable, role change, password reset,
   * sign out everywhere, a display revoked) and returns their ids: pass them to `announce` once
   * the transaction has committed.
   */
  async revoke(q: Db | Tx, which: { sid?: string; accountId?: number; displayId?: number }): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE sessions SET revoked_at = now()
        WHERE revoked_at IS NULL AND expires_at > now()
          AND (id = $1 OR account_id = $2 OR display_id = $3)
        RETURNING id`,
      [which.sid ?? null, which.accountId ?? null, which.displayId ?? null],
    );
    return rows.map((r) => r.id);
  }

  /** After the commit: this process forgets at once; the others when the bus delivers (within milliseconds). */
  async announce(sids: readonly string[]): Promise<void> {
    if (!sids.length) return;
    this.forget(sids);
    await this.bus.publish(REVOKED_CHANNEL, JSON.stringify({ sids })).catch((err: Error) =>
      console.error(`[sessions] could not announce ${sids.length} ended session(s); other processes notice within ${CACHE_MS / 1000} s:`, err.message),
    );
  }

  /** Expired and revoked sessions are kept a day for the audit trail's sake, then deleted (nothing unbounded). */
  async sweep(): Promise<number> {
    const { rowCount } = await this.db.query(`DELETE FROM sessions WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'`);
    return rowCount ?? 0;
  }

  private forget(sids: readonly string[]): void {
    const set = new Set(sids);
    const now = performance.now();
    if (this.forgotten.size > CACHE_MAX) this.forgotten.clear();
    for (const sid of set) {
      this.cache.set(sid, { session: null, at: Date.now() });
      this.forgotten.set(sid, now);
    }
    for (const l of this.listeners) l(set);
  }
}
