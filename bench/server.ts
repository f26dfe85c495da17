// Our real stack in a process of its own, on the bench database and bus prefix (env: TEST_DATABASE_URL,
// TEST_REDIS_URL — read by server/test/env.ts — and BUS_PREFIX). The orchestrator asks it for counters.
import { startStack } from '../server/test/stack';
import { emitEvent, followParent } from './ipc';
import { serveServerStats } from './server-stats';

const prefix = process.env.BUS_PREFIX;
if (!prefix) throw new Error('BUS_PREFIX must be set: the bench never runs on a deployment prefix');
const stack = await startStack(prefix, 0);
const live = stack.app.live;
if (!live) throw new Error('startStack returned without the live hot path');

serveServerStats(() => {
  const { accepted, ...rejected } = live.ingest.counters;
  return {
    accepted,
    rejected,
    fannedIn: live.fanout.positionsIn,
    emitted: live.fanout.positionsOut,
    ticks: live.fanout.ticks,
    historyWritten: live.history.written,
    historyFailed: live.history.failed,
    sockets: live.fanout.clients,
  };
});
followParent(() => stack.close());
emitEvent({ kind: 'ready', url: stack.url });
