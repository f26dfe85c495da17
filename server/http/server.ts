import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { SESSION_COOKIE, parseCookies, sessionCookie, type Session } from '../auth/session';
import { hashToken } from '../auth/token';
import { tokenFingerprint } from '../auth/sessions';
import type { AppContext } from '../context';
import { audit, auditRefusal } from '../repo/audit';
import { pageRedirect } from './pages';
import { securityHeaders } from './headers';
import { Router } from './router';
import { authRoutes } from './routes/auth';
import { geoRoutes } from './routes/geo';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { liveRoutes } from './routes/live';
import { placeRoutes } from './routes/places';
import { taxonomyRoutes } from './routes/taxonomy';
import { adminRoutes } from './routes/admin';
import { commandRoutes } from './routes/command';
import { stationRoutes } from './routes/stations';
import { peopleRoutes } from './routes/people';
import { deviceRoutes } from './routes/devices';
import { importRoutes } from './routes/imports';
import { openApiRoutes } from './routes/openapi';
import { photoRoutes } from './routes/photos';
import { statsRoutes } from './routes/stats';
import { auditRoutes } from './routes/audit';

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function buildRouter(app: AppContext): Router {
  const router = new Router();
  healthRoutes(router, app);
  authRoutes(router, app);
  geoRoutes(router, app);
  placeRoutes(router, app);
  liveRoutes(router, app);
  eventRoutes(router, app);
  taxonomyRoutes(router, app);
  photoRoutes(router, app);
  statsRoutes(router, app);
  openApiRoutes(router, app);
  adminRoutes(router, app);
  commandRoutes(router, app);
  stationRoutes(router, app);
  peopleRoutes(router, app);
  deviceRoutes(router, app);
  importRoutes(router, app);
  auditRoutes(router, app);
  return router;
}

export function sessionOf(app: AppContext, req: IncomingMessage): Promise<Session | null> {
  return app.sessions.resolve(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
}

/**
 * The client's address. Behind a trusted proxy (TRUST_PROXY) it is the last address the proxy
 * appended to X-Forwarded-For; anyone else's header is ignored, since a client can write anything there.
 */
export function clientIp(req: IncomingMessage, trusted: readonly string[]): string {
  const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (!trusted.includes(peer)) return peer;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  return forwarded.at(-1) ?? peer;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The screen a display token opens: the deployment's DISPLAY_TOKEN (a district wall) or a screen made at /admin. */
async function displayOf(app: AppContext, token: string): Promise<{ id: number | null; name: string; stationId: number | null } | null> {
  if (app.config.displayToken && sameToken(token, app.config.displayToken)) return { id: null, name: '指挥大屏', stationId: null };
  if (token.length > 200) return null;
  const { rows } = await app.db.query<{ id: number; name: string; stationId: number | null }>(
    `UPDATE displays SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL
     RETURNING id, name, station_id AS "stationId"`,
    [hashToken(token)],
  );
  return rows[0] ?? null;
}

/** The one HTTP server: our API first, then page guards, then Next.js for everything else. */
export function createHttpServer(app: AppContext, next: NextHandler): Server {
  const router = buildRouter(app);
  const secure = app.config.mode === 'production';
  return createServer(async (req, res) => {
    securityHeaders(res, { secure, dev: app.config.dev });
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ip = clientIp(req, app.config.trustProxy);
      const session = await sessionOf(app, req);

      // A wall screen opens /wall?display=<token> once; the token becomes a read-only session cookie.
      const token = url.searchParams.get('display');
      if (url.pathname === '/wall' && token !== null) {
        const screen = await displayOf(app, token);
        if (!screen) {
          await auditRefusal(app.db, { action: 'auth.display_refused', ip });
          res.writeHead(302, { location: '/login?error=display' }).end();
          return;
        }
        const tokenFp = screen.id === null ? tokenFingerprint(app.config.sessionSecret, app.config.displayToken) : null;
        const made = await app.sessions.create(app.db, { accountId: null, displayId: screen.id, tokenFp, role: 'display', name: screen.name, stationId: screen.stationId }, ip);
        await audit(app.db, made.session, { action: 'auth.display', target: screen.id === null ? 'display:district' : `display:${screen.id}`, ip });
        res.writeHead(302, { location: '/wall', 'set-cookie': sessionCookie(made.token, made.maxAge, secure) }).end();
        return;
      }

      if (await router.handle({ req, res, url, session, ip })) return;
      const redirect = pageRedirect(url.pathname, url.search, session);
      if (redirect) {
        res.writeHead(302, { location: redirect, 'cache-control': 'no-store' }).end();
        return;
      }
      await next(req, res);
    } catch (err) {
      console.error('[http]', err);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
}
