import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { Server, type Namespace, type Socket } from 'socket.io';
import { roomsOf, stationLeadersRoom, type Reach } from '@/lib/access/scope';
import { WARNING_READERS } from '../warnings/scope';
import type { Role } from '@/lib/roles';
import type { Session } from '../auth/session';
import type { AppContext } from '../context';
import { reachOfSession } from '../events/viewer';
import { sessionOf } from '../auth/session-of';

export interface SocketData {
  session: Session;
  reach: Reach;
  /** The unit a phone reports as, looked up at its first report (null: none). */
  unitId?: number | null;
}

/** Largest message a client may send: a batch of 1,000 positions is about 120 kB of JSON. */
export const MAX_SOCKET_MESSAGE = 256 * 1024;
/** How often every socket's session is looked at again (expiry; a revocation announced while this process missed it). */
const SWEEP_MS = 30_000;
/** Messages a socket may send per second, on average, with bursts up to the bucket's size. */
const MESSAGES_PER_S = 20;
const BURST = 40;

/**
 * Only pages of our own origin may open a socket: a browser always sends Origin on a websocket
 * handshake, so another site cannot ride a logged-in user's cookie. Clients that are not browsers
 * (devices, our benches) send none and authenticate by cookie like everyone else.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** A token bucket per socket: a client in a loop cannot keep the process busy. */
function rateLimit(socket: Socket): void {
  let tokens = BURST;
  let at = Date.now();
  socket.use((_packet, next) => {
    const now = Date.now();
    tokens = Math.min(BURST, tokens + ((now - at) / 1000) * MESSAGES_PER_S);
    at = now;
    if (tokens < 1) return next(new Error('rate_limited'));
    tokens -= 1;
    next();
  });
}

/**
 * Sockets in a namespace must carry a live session whose role is allowed there; each event is
 * checked against the session again (issue 10: a revoked session used to keep its sockets forever).
 */
function guard(ns: Namespace, app: AppContext, allowed: (role: Role) => boolean): void {
  ns.use((socket, next) => {
    void (async () => {
      const session = await sessionOf(app, socket.request);
      if (!session) return next(new Error('unauthorized'));
      if (!allowed(session.role)) return next(new Error('forbidden'));
      const data = socket.data as SocketData;
      data.session = session;
      data.reach = await reachOfSession(app.db, session);
      next();
    })().catch((err: Error) => next(err));
  });
  ns.on('connection', (socket) => {
    rateLimit(socket);
    socket.use((_packet, next) => {
      const { session } = socket.data as SocketData;
      void app.sessions.bySid(session.sid).then(
        (live) => (live ? next() : (socket.disconnect(true), next(new Error('unauthorized')))),
        (err: Error) => next(err),
      );
    });
    // A rate-limited or unauthorised event is answered with an error event, not silence; anything else says no more than that.
    socket.on('error', (err: Error) => socket.emit('refused', { reason: ['rate_limited', 'unauthorized'].includes(err.message) ? err.message : 'internal' }));
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
    maxHttpBufferSize: MAX_SOCKET_MESSAGE,
    allowRequest: (req, callback) => callback(sameOrigin(req) ? null : 'origin not allowed', sameOrigin(req)),
    // No connection-state recovery: socket.io replays the missed packets and restores the old
    // rooms before any guard runs, so a session ended while the phone was away would still get
    // them (issue 10 review). Every client resynchronises by HTTP on (re)connect instead.
    ...(adapterClient
      ? { adapter: createAdapter(adapterClient, { streamName: `${app.config.busPrefix}socket.io`, sessionKeyPrefix: `${app.config.busPrefix}sio:session:` }) }
      : {}),
  });
  // The default namespace carries nothing; refuse it so nobody depends on it.
  io.of('/').use((_socket, next) => next(new Error('use a namespace such as /live')));
  guard(io.of('/live'), app, () => true);
  io.of('/live').on('connection', (socket) => {
    // One scope rule decides the rooms: a station's screens hear their station only (issue 10).
    const { session, reach } = socket.data as SocketData;
    for (const room of roomsOf(reach)) void socket.join(room);
    // Warnings are read by the station's leaders and wall only (issue 13): the rest of the station is not in this room.
    if (reach.kind === 'station' && WARNING_READERS.includes(session.role)) void socket.join(stationLeadersRoom(reach.stationId));
  });
  guard(io.of('/field'), app, (role) => role !== 'display');
  io.of('/field').on('connection', (socket) => {
    const { session, reach } = socket.data as SocketData;
    // Targeted messages (tasks, invitations) go to this room, across processes.
    void socket.join(`account:${session.uid}`);
    for (const room of roomsOf(reach)) void socket.join(room);
  });
  const each = (visit: (socket: Socket, data: SocketData) => void) => {
    for (const ns of [io.of('/live'), io.of('/field')]) for (const socket of ns.sockets.values()) visit(socket, socket.data as SocketData);
  };
  // An ended session's sockets close on every process within the bus's delivery time.
  const offRevoked = app.sessions.onRevoked((sids) => each((socket, data) => data.session && sids.has(data.session.sid) && socket.disconnect(true)));
  // A walls-only socket never sends, so nothing else would notice its session expire, or an announcement lost while Redis was down.
  const sweep = setInterval(() => {
    const sids = new Set<string>();
    each((_socket, data) => data.session && sids.add(data.session.sid));
    if (!sids.size) return;
    // One query a tick, whatever the number of sockets.
    void app.sessions.liveOf([...sids]).then(
      (live) => each((socket, data) => data.session && !live.has(data.session.sid) && socket.disconnect(true)),
      (err: Error) => console.error('[io] session sweep:', err.message),
    );
  }, SWEEP_MS);
  sweep.unref();
  return {
    io,
    async close() {
      clearInterval(sweep);
      offRevoked();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      adapterClient?.disconnect();
    },
  };
}
