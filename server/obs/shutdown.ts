import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../context';
import { child } from './log';

const log = child('shutdown');
const stopping = new WeakSet<AppContext>();

/** From now on /readyz answers 503 and every answer closes its connection, so balancers move traffic away. */
export function markShuttingDown(app: AppContext): void {
  stopping.add(app);
}

export function isShuttingDown(app: AppContext): boolean {
  return stopping.has(app);
}

/**
 * Closes the HTTP server. New connections are refused at once. Then `sockets` (Socket.IO) closes
 * every socket's transport, which its clients take for a network failure: they reconnect, through
 * the balancer, to a process that is still ready. Requests under way get `ms` to finish; keep-alive
 * connections are closed as they fall idle; whatever is still open after that is cut.
 * Resolves true when everything finished in time.
 */
export async function drainHttp(server: Server, sockets: { close(): Promise<void> }, ms: number): Promise<boolean> {
  const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  const socketsClosed = sockets.close();
  const idle = setInterval(() => server.closeIdleConnections(), 250);
  try {
    const drained = await Promise.race([Promise.all([httpClosed, socketsClosed]).then(() => true), sleep(ms, false, { ref: false })]);
    if (!drained) {
      log.warn({ ms }, 'requests still open after the drain: cutting them');
      server.closeAllConnections();
      await Promise.all([httpClosed, socketsClosed]);
    }
    return drained;
  } finally {
    clearInterval(idle);
  }
}
