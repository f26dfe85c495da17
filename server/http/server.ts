import { AsyncResource } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sessionCookie, type Session } from '../auth/session';
import { sessionOf } from '../auth/session-of';
import { hashToken } from '../auth/token';
import { tokenFingerprint } from '../auth/sessions';
import type { AppContext } from '../context';
import { child, requestIdOf, withRequestId } from '../obs/log';
import { isShuttingDown } from '../obs/shutdown';
import { audit, auditRefusal } from '../repo/audit';
import { pageRedirect } from './pages';
import { securityHeaders } from './headers';
import { DomainError } from '../errors';
import { errorAnswer, Router, send } from './router';
import { authRoutes } from './routes/auth';
import { geoRoutes } from './routes/geo';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { liveRoutes } from './routes/live';
import { placeRoutes } from './routes/places';
import { keyPersonRoutes } from './routes/key-persons';
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
import { dutyRoutes } from './routes/duty';
import { osmandRoutes } from './routes/osmand';
import { historyRoutes } from './routes/history';
import { coverageRoutes } from './routes/coverage';
import { warningRoutes } from './routes/warnings';
import { kpiRoutes } from './routes/kpi';
import { basemapRoutes } from './routes/basemap';
import { citizenRoutes } from './routes/citizen';
import { citizenAreaRoutes } from './routes/citizenAreas';
import { open311Routes } from './routes/open311';
import { mediationRoutes } from './routes/mediation';
import { assessmentRuleRoutes } from './routes/assessment-rules';
import { pointsRoutes } from './routes/points';
import { reportRoutes } from './routes/reports';
import { assessmentScoreRoutes } from './routes/assessment-scores';
import { reviewRoutes } from './routes/reviews';
import { accountabilityRoutes } from './routes/accountability';
import { pointsEventRoutes } from './routes/points-events';

const log = child('http');

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function buildRouter(app: AppContext): Router {
  const router = new Router();
  healthRoutes(router, app);
  metricsRoutes(router, app);
  authRoutes(router, app);
  geoRoutes(router, app);
  placeRoutes(router, app);
  keyPersonRoutes(router, app);
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
  dutyRoutes(router, app);
  osmandRoutes(router, app);
  historyRoutes(router, app);
  coverageRoutes(router, app);
  warningRoutes(router, app);
  kpiRoutes(router, app);
  basemapRoutes(router, app);
  citizenRoutes(router, app);
  citizenAreaRoutes(router, app);
  open311Routes(router, app);
  mediationRoutes(router, app);
  assessmentRuleRoutes(router, app);
  pointsRoutes(router, app);
  reportRoutes(router, app);
  assessmentScoreRoutes(router, app);
  reviewRoutes(router, app);
  accountabilityRoutes(router, app);
  pointsEventRoutes(router, app);
  return router;
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

/** Probes must answer while the database does not: their session lookup gets this long, then the caller is anonymous. */
const PROBE_SESSION_MS = 1000;
const PROBES = new Set(['/healthz', '/readyz']);
/** The screens of /wall (app/wall/screens.ts); anything else opens the map. */
const WALL_SCREENS = new Set(['map', 'cockpit', 'warnings']);
/** Asked every few seconds by balancers and scrapers: at info their lines would drown the rest. */
const QUIET = new Set([...PROBES, '/metrics']);

function sessionWithin(app: AppContext, req: IncomingMessage, ms: number): Promise<Session | null> {
  return Promise.race([sessionOf(app, req).catch(() => null), sleep(ms, null, { ref: false })]);
}

/** A request target `new URL` cannot read (`//[`) is the client's mistake: 400, not 500 (found by the fuzzer). */
function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    throw new DomainError('invalid', 'invalid_target', '无效的请求地址');
  }
}

/**
 * The one HTTP server: our API first, then page guards, then Next.js for everything else. Every
 * response carries its request's id (X-Request-Id), as does every log line written while it is
 * handled; each request not handed to Next.js gets one access line.
 */
export function createHttpServer(app: AppContext, next: NextHandler): Server {
  const router = buildRouter(app);
  const secure = app.config.mode === 'production';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    // The query is left out of the log: it can carry a wall's display token or what someone searched for.
    const path = (req.url ?? '/').split('?')[0].slice(0, 200);
    const seen: { ip?: string; user?: number; page?: boolean } = {};
    res.once(
      'close',
      // Bound to the request's context, so the line carries its id like every other.
      AsyncResource.bind(() => {
        if (seen.page) return;
        // Node reports 200 until something is written: a request cut before its answer has none.
        const status = res.headersSent ? res.statusCode : null;
        const line = { method: req.method, path, status, ms: Math.round(performance.now() - started), ip: seen.ip, user: seen.user ?? null, ...(res.writableFinished ? {} : { aborted: true }) };
        log[status === null || status >= 500 ? 'warn' : QUIET.has(path) ? 'debug' : 'info'](line, 'request');
      }),
    );
    securityHeaders(res, { secure, dev: app.config.dev, basemap: app.config.basemap });
    // Keep-alive connections would outlive the drain: each answer during shutdown ends its connection.
    if (isShuttingDown(app)) res.setHeader('connection', 'close');
    try {
      const url = requestUrl(req);
      const ip = clientIp(req, app.config.trustProxy);
      seen.ip = ip;
      const session = PROBES.has(url.pathname) ? await sessionWithin(app, req, PROBE_SESSION_MS) : await sessionOf(app, req);
      seen.user = session?.uid;

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
        // A video wall opens one screen per browser (issue 13): the screen it asked for survives the token's exchange.
        const wanted = url.searchParams.get('screen');
        const location = wanted && WALL_SCREENS.has(wanted) ? `/wall?screen=${wanted}` : '/wall';
        res.writeHead(302, { location, 'set-cookie': sessionCookie(made.token, made.maxAge, secure) }).end();
        return;
      }

      if (await router.handle({ req, res, url, session, ip })) return;
      // Pages and their assets: Next.js's business, and far too many lines to be worth one each.
      seen.page = true;
      const redirect = pageRedirect(url.pathname, url.search, session);
      if (redirect) {
        res.writeHead(302, { location: redirect, 'cache-control': 'no-store' }).end();
        return;
      }
      // The residents' worker is served from /m/ and controls /m itself too (public/m/sw.js).
      if (url.pathname === '/m/sw.js') res.setHeader('service-worker-allowed', '/m');
      await next(req, res);
    } catch (err) {
      // Before the router (the session lookup, a wall's token): the same mapping, so the database
      // being away is a 503 to retry, never a 500 nor a sign-out (issue 11).
      const answer = errorAnswer(err);
      log[answer.log === 'error' ? 'error' : 'warn']({ err, method: req.method, path }, 'request failed');
      if (!res.headersSent) send(res, answer.status, answer.body, answer.headers);
    }
  };

  return createServer((req, res) => {
    const reqId = requestIdOf(req);
    res.setHeader('x-request-id', reqId);
    void withRequestId(reqId, () => handle(req, res));
  });
}
