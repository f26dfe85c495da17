import type { Server } from 'socket.io';
import type { AppContext } from '../context';
import type { Live } from './index';
import type { SocketData } from './io';

type Ack<T> = (reply: T) => void;

/** What clients may ask of the live namespaces once the hot path runs. */
export function attachLiveSockets(io: Server, app: AppContext, live: Live): void {
  io.of('/live').on('connection', (socket) => {
    const { session } = socket.data as SocketData;
    socket.emit('hello', { serverTime: new Date().toISOString(), role: session.role });
    // The snapshot comes from the same process as the ticks, so its `seq` is comparable with theirs.
    socket.on('snapshot', (ack: unknown) => {
      if (typeof ack === 'function') (ack as Ack<{ seq: number; positions: Uint8Array }>)({ seq: live.fanout.seq, positions: live.fanout.snapshot() });
    });
  });

  io.of('/field').on('connection', (socket) => {
    const data = socket.data as SocketData;
    // Handlers are attached at once; a report arriving before the lookup ends waits for it.
    const unit = app.db
      .query<{ id: number }>(`SELECT u.id FROM units u JOIN accounts a ON a.person_id = u.person_id WHERE a.id = $1 LIMIT 1`, [data.session.uid])
      .then((r) => (data.unitId = r.rows[0]?.id));
    // A phone reports only its own unit; an account without one has nothing to report.
    socket.on('pos', async (items: unknown, ack: unknown) => {
      await unit;
      const list = Array.isArray(items) ? items : [items];
      const result = data.unitId === undefined
        ? { accepted: 0, rejected: list.map((_, index) => ({ index, reason: 'unknown_unit' as const, message: 'this account has no unit' })) }
        : await live.ingest.ingest(list, data.unitId);
      if (typeof ack === 'function') (ack as Ack<typeof result>)(result);
    });
  });
}
