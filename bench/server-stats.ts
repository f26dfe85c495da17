import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serveRequests } from './ipc';
import type { ServerStats, ServerStatsRequest } from './protocol';

export type Counters = Omit<ServerStats, 'loopDelayP50' | 'loopDelayP99' | 'loopDelayMax' | 'heapUsed'>;

/**
 * Answers the orchestrator's `stats` requests for either server variant. Event-loop delay is the
 * server's own evidence of saturation: ticks late, sockets written late.
 */
export function serveServerStats(read: () => Counters): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  serveRequests<ServerStatsRequest>((req): ServerStats => {
    const stats: ServerStats = {
      ...read(),
      loopDelayP50: delay.percentile(50) / 1e6,
      loopDelayP99: delay.percentile(99) / 1e6,
      loopDelayMax: delay.max / 1e6,
      heapUsed: process.memoryUsage().heapUsed,
    };
    if (req.resetLoopDelay) delay.reset();
    return stats;
  });
}
