import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { SESSION_COOKIE, decodeSession, encodeSession, parseCookies, renewal, sessionCookie, type Session } from '../auth/session';
import type { AppContext } from '../context';
import { audit } from '../repo/audit';
import { pageRedirect } from './pages';
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
import { openApiRoutes } from './routes/openapi';
import { photoRoutes } from './routes/photos';
import { statsRoutes } from './routes/stats';

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
  return router;
}

export function sessionOf(app: AppContext, req: IncomingMessage): Session | null {
  return decodeSession(app.config.sessionSecret, parseCookies(req.headers.cookie)[SESSION_COOKIE]);
}

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? '';
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The one HTTP server: our API first, then page guards, then Next.js for everything else. */
export function createHttpServer(app: AppContext, next: NextHandler): Server {
  const router = buildRouter(app);
  const secure = app.config.mode === 'production';
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ip = clientIp(req);
      let session = sessionOf(app, req);

      // A wall screen opens /wall?display=<token> once; the token becomes a read-only session cookie.
      const token = url.searchParams.get('display');
      if (url.pathname === '/wall' && token !== null) {
        if (!sameToken(token, app.config.displayToken)) {
          await audit(app.db, null, { action: 'auth.display_refused', ip });
          res.writeHead(302, { location: '/login?error=display' }).end();
          return;
        }
        session = { uid: 0, role: 'display', name: '指挥大屏', stationId: null, exp: 0 };
        const { value, maxAge } = encodeSession(app.config.sessionSecret, session);
        await audit(app.db, session, { action: 'auth.display', ip });
        res.writeHead(302, { location: '/wall', 'set-cookie': sessionCookie(value, maxAge, secure) }).end();
        return;
      }

      const renewed = session && renewal(app.config.sessionSecret, session);
      if (renewed) res.setHeader('set-cookie', sessionCookie(renewed.value, renewed.maxAge, secure));

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
