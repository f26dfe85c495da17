/**
 * Runs `job` now and every `everyMs`, one run at a time in this process (a run that overlaps the
 * next tick is not doubled: the tick waits for it). A failure is logged and the next tick tries again.
 * `stop()` ends the timer and waits for a run under way.
 */
export function repeat(name: string, everyMs: number, job: () => Promise<unknown>): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(job).catch((err: Error) => console.error(`[${name}]`, err.message));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
