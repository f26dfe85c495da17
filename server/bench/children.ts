import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isChildMessage, type ReplyMessage } from './ipc';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every child still running, so an interrupt or a failure can stop them all by pid. */
const running = new Set<Child>();
let refusing = false;

/** One child process of the bench (server, publisher or client), spoken to over IPC. */
export class Child {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private listeners = new Set<(body: unknown) => void>();
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (m: unknown) => {
      if (!isChildMessage(m)) return;
      if (m.type === 'event') for (const l of this.listeners) l(m.body);
      else this.settle(m);
    });
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code) => {
        running.delete(this);
        for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code}) before replying`));
        this.pending.clear();
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  private settle(m: ReplyMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(`${this.name}: ${m.error}`));
    else p.resolve(m.body);
  }

  request<T>(body: unknown, timeoutMs = 60_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no reply in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.proc.send({ type: 'request', id, body });
    });
  }

  onEvent(listener: (body: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first event `pick` accepts (returns non-undefined for), or a rejection if the child dies first. */
  waitEvent<T>(pick: (body: unknown) => T | undefined, timeoutMs = 120_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => (off(), reject(new Error(`${this.name}: not ready in ${timeoutMs} ms`))), timeoutMs);
      const off = this.onEvent((body) => {
        const v = pick(body);
        if (v === undefined) return;
        clearTimeout(timer);
        off();
        resolve(v);
      });
      void this.exited.then((code) => (clearTimeout(timer), off(), reject(new Error(`${this.name} exited (${code})`))));
    });
  }

  /** SIGTERM (the child closes cleanly), then SIGKILL if it has not gone within `graceMs`. */
  async stop(graceMs = 8000): Promise<void> {
    if (!this.alive) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.alive && this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts `server/bench/<file>` under tsx, with an IPC channel. */
export function spawnTs(name: string, file: string, env: NodeJS.ProcessEnv = process.env, execArgv: string[] = []): Child {
  if (refusing) throw new Error('shutting down: no new processes');
  const proc = spawn(process.execPath, [...execArgv, '--import', 'tsx', path.join(ROOT, 'server/bench', file)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const child = new Child(name, proc);
  running.add(child);
  return child;
}

/** Stops every child still running (each by its own pid) and refuses new ones. */
export async function stopAll(): Promise<void> {
  refusing = true;
  await Promise.all([...running].map((c) => c.stop()));
}

/** Ctrl-C stops every child and cleans up before exiting; a second one exits at once. Returns: was it pressed? */
export function cleanUpOnInterrupt(cleanup: () => Promise<void>, log: (line: string) => void, what: string): () => boolean {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) {
        console.error('[bench] second interrupt: exiting without cleaning up');
        process.exit(130);
      }
      interrupted = true;
      log(`${signal}: stopping every process and ${what} …`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  return () => interrupted;
}
