import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pino, type Level, type Logger } from 'pino';

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] satisfies (Level | 'silent')[];

/**
 * LOG_LEVEL is read here, not from the configuration: the logger must work before (and while)
 * the configuration loads. loadConfig refuses an unknown level, so the fallback never hides a typo.
 * Test runs are quiet unless LOG_LEVEL asks otherwise: a failing test's own output is what matters.
 */
export function levelOf(env: Record<string, string | undefined> = process.env): string {
  if (env.LOG_LEVEL && LEVELS.includes(env.LOG_LEVEL)) return env.LOG_LEVEL;
  return env.VITEST || env.NODE_ENV === 'test' ? 'silent' : 'info';
}

interface RequestScope {
  reqId: string;
}

const requests = new AsyncLocalStorage<RequestScope>();

/**
 * One JSON object a line on stdout. The request id comes from the async context, so every line
 * written while a request is handled carries it, from whichever component's logger.
 */
export const logger: Logger = pino({
  level: levelOf(),
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  mixin: () => requests.getStore() ?? {},
});

/** A component's logger: its lines say where they come from (`component`). */
export function child(component: string): Logger {
  return logger.child({ component });
}

/** Ids a client or proxy may hand us: short and plain, so they cannot forge log fields or bloat lines. */
const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's X-Request-Id when it is sane (a proxy's id joins its logs to ours), else a fresh one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/** Runs `fn` with `reqId` on every log line it (and what it awaits) writes. */
export function withRequestId<T>(reqId: string, fn: () => T): T {
  return requests.run({ reqId }, fn);
}
