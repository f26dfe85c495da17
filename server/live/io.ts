import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { Server, type Namespace } from 'socket.io';
import type { Role } from '@/lib/roles';
import type { Session } from '../auth/session';
import type { AppContext } from '../context';
import { sessionOf } from '../http/server';

/** The /live room of screens that see every station (walls, the administrator). */
export const DISTRICT_ROOM = 'district';

export interface SocketData {
  session: Session;
  unitId?: number;
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

export interface Io {
  io: Server;
  close(): Promise<void>;
}

/**
 * Socket.IO on our HTTP server. With Redis, the streams adapter joins the processes: a message
 * to a room reaches its sockets on whichever process they are, and reconnecting clients recover
 * missed packets (connection-state recovery, which the pub/sub adapter lacks).
 */
export function createIo(httpServer: HttpServer, app: AppContext): Io {
  const adapterClient = app.config.redisUrl ? new Redis(app.config.redisUrl) : null;
  adapterClient?.on('error', (err: Error) => console.error('[io] redis:', err.message));
  // Websocket only: no long-polling means no sticky sessions behind a load balancer.
  const io = new Server(httpServer, {
    transports: ['websocket'],
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
    ...(adapterClient
      ? { adapter: createAdapter(adapterClient, { streamName: `${app.config.busPrefix}socket.io`, sessionKeyPrefix: `${app.config.busPrefix}sio:session:` }) }
      : {}),
  });
  // The default namespace carries nothing; refuse it so nobody depends on it.
  io.of('/').use((_socket, next) => next(new Error('use a namespace such as /live')));
  guard(io.of('/live'), app, () => true);
  io.of('/live').on('connection', (socket) => {
    const { session } = socket.data as SocketData;
    // Dispatches and consultations are a station's business; the wall and the admin see the district.
    if (session.role === 'display' || session.role === 'admin') void socket.join(DISTRICT_ROOM);
    else if (session.stationId !== null) void socket.join(`station:${session.stationId}`);
  });
  guard(io.of('/field'), app, (role) => role !== 'display');
  io.of('/field').on('connection', (socket) => {
    const { session } = socket.data as SocketData;
    // Targeted messages (tasks, invitations) go to this room, across processes.
    void socket.join(`account:${session.uid}`);
    if (session.stationId !== null) void socket.join(`station:${session.stationId}`);
  });
  return {
    io,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      adapterClient?.disconnect();
    },
  };
}
