// A bench in miniature for children.test.ts, run as its own process. As the bench (default) it
// starts its "server" through startServer — the path bench:wall, bench:command and soak:wall take —
// prints READY, then on SIGUSR2 ends as FIXTURE_MODE says (return, throw, uncaught), or in mode
// 'wait' waits for the test's SIGTERM, SIGINT or SIGKILL. As the server (FIXTURE_ROLE=server) it listens on
// FIXTURE_PORT and starts a grandchild, as Next.js may, and writes both pids to FIXTURE_PIDS.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { startServer } from './app-server';
import { runBench } from './children';

const port = Number(process.env.FIXTURE_PORT);

if (process.env.FIXTURE_ROLE === 'server') {
  const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const server = net.createServer().listen(port, '0.0.0.0', () => {
    writeFileSync(String(process.env.FIXTURE_PIDS), `${process.pid} ${grandchild.pid}`);
    console.log(`serving http://localhost:${port}`);
  });
  // As server/main.ts: closes on SIGTERM, and leaves its own child to whoever kills the group.
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  const mode = process.env.FIXTURE_MODE ?? 'return';
  runBench('fixture', async () => {
    await startServer({
      name: 'fixture server',
      args: ['bench/children-fixture.ts'],
      env: { ...process.env, FIXTURE_ROLE: 'server' },
      port,
      portVariable: 'FIXTURE_PORT',
      ready: /serving http/,
      timeoutMs: 30_000,
    });
    // SIGUSR2 is the test's "go on" once it has seen the server running; 'wait' waits for a signal that ends it.
    const goOn = new Promise((resolve) => process.once('SIGUSR2', resolve));
    console.log('READY');
    if (mode === 'wait') await new Promise(() => {});
    await goOn;
    if (mode === 'throw') throw new Error('fixture: thrown on purpose');
    if (mode === 'uncaught') {
      setTimeout(() => {
        throw new Error('fixture: uncaught on purpose');
      }, 0);
      await new Promise(() => {});
    }
  });
}
