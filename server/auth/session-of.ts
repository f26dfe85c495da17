import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../context';
import { SESSION_COOKIE, parseCookies, type Session } from './session';

/**
 * The session a request's cookie names. HTTP requests and socket handshakes both ask this, so it
 * lives below both: the live layer must not import the HTTP server, which imports every route.
 */
export function sessionOf(app: AppContext, req: IncomingMessage): Promise<Session | null> {
  return app.sessions.resolve(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
}
