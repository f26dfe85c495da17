import { spawnOwned, TS_CHILD_FLAGS, type OwnedProcess } from '../children';

/**
 * The server under the drill: our real HTTP, Socket.IO and live stack (server/test/stack-process,
 * without Next.js pages, which no fault concerns) on a fixed port, so clients find it again after
 * a restart. Owned as every bench child is (bench/children.ts): it dies with the drill.
 */
export class ChaosServer {
  private child: OwnedProcess | null = null;
  readonly url: string;
  /** Exits the drill did not cause, with the end of what the server wrote to stderr. */
  readonly crashes: string[] = [];

  constructor(
    private readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const child = spawnOwned('chaos server', process.execPath, [...TS_CHILD_FLAGS, 'server/test/stack-process.ts'], {
      env: { ...process.env, ...this.env, PORT: String(this.port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    let errors = '';
    child.proc.stderr?.on('data', (d: Buffer) => {
      errors = (errors + d.toString()).slice(-4000);
    });
    void child.exited.then((code) => {
      if (this.child === child) this.crashes.push(`exit ${code}: ${errors}`);
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.proc.stdout?.on('data', (d: Buffer) => {
        out = (out + d.toString()).slice(-2000);
        if (/ready \S+/.test(out)) resolve();
      });
      void child.exited.then((code) => reject(new Error(`server exited (${code}) before it was ready:\n${errors}`)));
    });
  }

  /** kill -9: no shutdown, nothing flushed. */
  async kill(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c?.alive) return;
    c.proc.kill('SIGKILL');
    await c.exited;
  }

  /** A graceful stop (SIGTERM). */
  async stop(): Promise<void> {
    const c = this.child;
    this.child = null;
    await c?.stop(15_000);
  }
}
