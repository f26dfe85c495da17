import { spawn, type ChildProcess, type SpawnOptions, type StdioOptions } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isChildMessage, type ReplyMessage } from './ipc';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Node flags for a TypeScript child of a bench: tsx, and the leash that ends it if the bench dies hard. */
export const TS_CHILD_FLAGS = ['--import', 'tsx', '--import', pathToFileURL(path.join(ROOT, 'bench/leash.ts')).href];

/** Every process a bench started and has not yet seen gone: the exit hook kills whatever is left. */
const owned = new Set<OwnedProcess>();
let refusing = false;

/** Signals a process group; false if it has no member left. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (pgid <= 0) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * A process a bench started, leader of a process group of its own: stopping it stops whatever it
 * started too (Next.js workers, tsx's helpers), and a Ctrl-C in the terminal reaches only the
 * bench, which then stops its children in order.
 */
export class OwnedProcess {
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      const gone = (code: number | null) => {
        owned.delete(this);
        // Whatever the leader left behind in its group is a stray now.
        signalGroup(this.pid, 'SIGKILL');
        resolve(code);
      };
      proc.once('exit', (code, signal) => gone(code ?? (signal ? -1 : null)));
      proc.once('error', (err) => {
        console.error(`[bench] ${name}: ${err.message}`);
        if (proc.pid === undefined) gone(null);
      });
    });
    owned.add(this);
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get alive(): boolean {
    return this.proc.pid !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** SIGTERM to the group (the leader closes cleanly), then SIGKILL to it if the leader has not gone within `graceMs`. */
  async stop(graceMs = 8000): Promise<void> {
    if (!this.alive) return;
    signalGroup(this.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Starts `command` as a process the bench owns: in a group of its own, on the list the exit hook
 * kills, with a pipe on stdin for the leash (give Node children TS_CHILD_FLAGS).
 */
export function spawnOwned(name: string, command: string, args: readonly string[], options: SpawnOptions = {}): OwnedProcess {
  return new OwnedProcess(name, launch(command, args, options));
}

function launch(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  if (refusing) throw new Error('shutting down: no new processes');
  // stdin is always the leash's pipe; the rest as asked.
  const rest: Exclude<StdioOptions, string> = Array.isArray(options.stdio) ? options.stdio.slice(1) : ['inherit', 'inherit'];
  const stdio: Exclude<StdioOptions, string> = ['pipe', ...rest];
  return spawn(command, args, { cwd: ROOT, ...options, stdio, detached: true });
}

/** One child process of the bench (server, publisher or client), spoken to over IPC. */
export class Child extends OwnedProcess {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private listeners = new Set<(body: unknown) => void>();

  constructor(name: string, proc: ChildProcess) {
    super(name, proc);
    proc.on('message', (m: unknown) => {
      if (!isChildMessage(m)) return;
      if (m.type === 'event') for (const l of this.listeners) l(m.body);
      else this.settle(m);
    });
    void this.exited.then((code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code}) before replying`));
      this.pending.clear();
    });
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
}

/** Starts `bench/<file>` under tsx, with an IPC channel. */
export function spawnTs(name: string, file: string, env: NodeJS.ProcessEnv = process.env, execArgv: string[] = []): Child {
  const proc = launch(process.execPath, [...execArgv, ...TS_CHILD_FLAGS, path.join(ROOT, 'bench', file)], {
    env,
    stdio: ['pipe', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  return new Child(name, proc);
}

/** Stops every process still running (each group by its own pid) and refuses new ones. */
export async function stopAll(): Promise<void> {
  refusing = true;
  await Promise.all([...owned].map((c) => c.stop()));
}

/** The last resort, synchronous so it works in an 'exit' handler: SIGKILL to every group still owned. */
function killAllNow(): void {
  for (const c of owned) signalGroup(c.pid, 'SIGKILL');
}

let interruptedBy: NodeJS.Signals | undefined;
let finishing: Promise<void> | undefined;

/** Did a signal stop the bench? Then its results are partial: print none. */
export const interrupted = (): boolean => interruptedBy !== undefined;

const CLEANUP_LIMIT_MS = 90_000;
const SIGNAL_CODES: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * The one way a bench runs: `main`, then — however it ends (returns, throws, an uncaught exception,
 * Ctrl-C, SIGTERM, SIGHUP) — every process it started stopped, then `cleanup` (databases, keys),
 * then exit. A second signal, or a clean-up over CLEANUP_LIMIT_MS, exits at once; the exit hook
 * still kills every child. Only a hard death (OOM abort, SIGKILL) skips all this: see leash.ts.
 */
export function runBench(tag: string, main: () => Promise<void>, cleanup: () => Promise<void> = async () => {}): void {
  const say = (line: string) => console.error(`[${tag}] ${line}`);
  const finish = (code: number): Promise<void> => {
    finishing ??= (async () => {
      refusing = true;
      const limit = setTimeout(() => {
        say(`clean-up still running after ${CLEANUP_LIMIT_MS / 1000} s: killing every process and exiting`);
        process.exit(code || 1);
      }, CLEANUP_LIMIT_MS);
      try {
        await stopAll();
      } catch (err) {
        say(`stopping processes: ${(err as Error).message}`);
      }
      try {
        await cleanup();
      } catch (err) {
        say(`cleaning up: ${(err as Error).message}`);
      }
      clearTimeout(limit);
      process.exit(code);
    })();
    return finishing;
  };
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interruptedBy) {
        say(`second ${signal}: killing every process and exiting without the rest of the clean-up`);
        process.exit(SIGNAL_CODES[signal]);
      }
      interruptedBy = signal;
      say(`${signal}: stopping every process and cleaning up …`);
      void finish(SIGNAL_CODES[signal]);
    });
  }
  const crash = (what: string) => (err: unknown) => {
    say(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void finish(1);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled rejection'));
  void main().then(
    () => finish(typeof process.exitCode === 'number' ? process.exitCode : 0),
    (err: unknown) => {
      if (!interrupted()) say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return finish(1);
    },
  );
}
