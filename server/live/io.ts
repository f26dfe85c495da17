import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace } from 'socket.io';
import type { Role } from '@/lib/roles';
import type { Session } from '../auth/session';
import type { AppContext } from '../context';
import { sessionOf } from '../http/server';

export interface SocketData {
  session: Session;
}

/** Sockets in a namespace must carry a session whose role is allowed there. */
function guard(ns: Namespace, app: AppContext, allowed: (role: Role) => boolean): void {
  ns.use((socket, next) => {
    const session = sessionOf(app, socket.request);
    if (!session) return next(new Error('unauthorized'));
    if (!allowed(session.role)) return next(new Error('forbidden'));
    (socket.data as SocketData).session = session;
    next();
  });
}

export function createIo(httpServer: HttpServer, app: AppContext): Server {
  // Websocket only: no long-polling means no sticky sessions behind a load balancer.
  const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });
  // The default namespace carries nothing; refuse it so nobody depends on it.
  io.of('/').use((_socket, next) => next(new Error('use a namespace such as /live')));

  const live = io.of('/live');
  guard(live, app, () => true);
  live.on('connection', (socket) => {
    const { session } = socket.data as SocketData;
    socket.emit('hello', { serverTime: new Date().toISOString(), role: session.role });
  });
  return io;
}
