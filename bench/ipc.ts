/**
 * Request/reply and events between the bench orchestrator and its child processes, over Node's
 * IPC channel with `serialization: 'advanced'` (so typed arrays cross without JSON).
 */

export interface RequestMessage {
  type: 'request';
  id: number;
  body: unknown;
}

export interface ReplyMessage {
  type: 'reply';
  id: number;
  body?: unknown;
  error?: string;
}

export interface EventMessage {
  type: 'event';
  body: unknown;
}

export type ChildMessage = ReplyMessage | EventMessage;

function isRequest(m: unknown): m is RequestMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'request';
}

export function isChildMessage(m: unknown): m is ChildMessage {
  const type = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
  return type === 'reply' || type === 'event';
}

function send(message: ChildMessage): void {
  // The orchestrator may already be gone (Ctrl-C); then there is nobody to tell.
  if (process.connected) process.send?.(message);
}

/** Child side: answers each request with what `handle` returns (or the error it throws). */
export function serveRequests<Req>(handle: (req: Req) => unknown): void {
  process.on('message', (m: unknown) => {
    if (!isRequest(m)) return;
    Promise.resolve()
      .then(() => handle(m.body as Req))
      .then(
        (body) => send({ type: 'reply', id: m.id, body }),
        (err: unknown) => send({ type: 'reply', id: m.id, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
      );
  });
}

/** Child side: an unsolicited message (ready, progress). */
export function emitEvent(body: unknown): void {
  send({ type: 'event', body });
}

/**
 * Child side: the orchestrator decides when children stop (SIGTERM to the child's own process
 * group, see children.ts), so a stray SIGINT is ignored and the ordered shutdown left to it; if
 * the orchestrator dies anyway, the IPC channel closes and the child ends itself.
 */
export function followParent(onStop: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(code), 5000);
    force.unref();
    void onStop()
      .catch((err: Error) => console.error(`[bench child ${process.pid}] stop:`, err.message))
      .finally(() => process.exit(code));
  };
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => stop(0));
  process.on('disconnect', () => stop(0));
}
