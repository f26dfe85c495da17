import { child } from '../obs/log';
import { jobStarted } from '../obs/metrics';

const log = child('jobs');

/**
 * Runs `job` now and every `everyMs`, one run at a time in this process (a run that overlaps the
 * next tick is not doubled: the tick waits for it). A failure is logged and the next tick tries again.
 * Every run is counted and timed by `name` (liandong_job_*), so a job failing quietly each tick shows.
 * `stop()` ends the timer and waits for a run under way.
 */
export function repeat(name: string, everyMs: number, job: () => Promise<unknown>): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = async () => {
    const done = jobStarted(name);
    try {
      await job();
      done(false);
    } catch (err) {
      done(true);
      log.error({ job: name, err }, 'job run failed');
    }
  };
  const tick = () => {
    running = running.then(run);
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
