import type { Server, Socket } from 'socket.io';
import { MAX_BATCH } from '@/lib/contracts/live';
import type { AppContext } from '../context';
import { Unavailable } from '../errors';
import { child } from '../obs/log';
import type { Live } from './index';
import type { SocketData } from './io';

const log = child('io');

type Ack<T> = (reply: T) => void;
type Handler = (socket: Socket, args: unknown[]) => Promise<unknown> | unknown;

/**
 * Every event a client may send, per namespace. Handlers are registered from these maps only, so
 * the access-matrix test (server/http/access-matrix.test.ts) sees each one and fails on a new one
 * that has no expectation.
 */
export function socketHandlers(app: AppContext, live: Live): Record<'/live' | '/field', Record<string, Handler>> {
  return {
    '/live': {
      // The snapshot comes from the same process as the ticks, so its `seq` is comparable with theirs; scoped like them.
      snapshot: (socket) => live.fanout.snapshotFor((socket.data as SocketData).reach),
    },
    '/field': {
      // A phone reports only its own unit; an account without one has nothing to report.
      pos: async (socket, [items]) => {
        const data = socket.data as SocketData;
        const list = Array.isArray(items) ? items : [items];
        if (list.length > MAX_BATCH) return { accepted: 0, rejected: [{ index: 0, reason: 'malformed' as const, message: `at most ${MAX_BATCH} positions per batch` }] };
        if (data.unitId === undefined) {
          const { rows } = await app.db.query<{ id: number }>(`SELECT u.id FROM units u JOIN accounts a ON a.person_id = u.person_id WHERE a.id = $1 LIMIT 1`, [data.session.uid]);
          data.unitId = rows[0]?.id ?? null;
        }
        return data.unitId === null
          ? { accepted: 0, rejected: list.map((_, index) => ({ index, reason: 'unknown_unit' as const, message: 'this account has no unit' })) }
          : live.ingest.ingest(list, data.unitId);
      },
    },
  };
}

/** What clients may ask of the live namespaces once the hot path runs. */
export function attachLiveSockets(io: Server, app: AppContext, live: Live): void {
  const handlers = socketHandlers(app, live);
  io.of('/live').on('connection', (socket) => {
    socket.emit('hello', { serverTime: new Date().toISOString(), role: (socket.data as SocketData).session.role });
  });
  for (const [ns, events] of Object.entries(handlers)) {
    io.of(ns).on('connection', (socket) => {
      for (const [event, handle] of Object.entries(events)) {
        socket.on(event, (...args: unknown[]) => {
          const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Ack<unknown>) : undefined;
          void Promise.resolve()
            .then(() => handle(socket, args))
            .then((reply) => ack?.(reply), (err: Error) => {
              // Not taken, and the client may send it again (the phone's outbox does): as a 503 over HTTP.
              if (err instanceof Unavailable) return ack?.({ error: 'unavailable', retryAfter: err.retryAfterS });
              log.error({ err, ns, event }, 'socket handler failed');
              ack?.({ error: 'internal' });
            });
        });
      }
    });
  }
}
