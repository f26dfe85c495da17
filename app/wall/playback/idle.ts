/*
 * The wall runs unattended: a replay someone started must give the screen back to the live view
 * by itself. Pure, so the rule is tested without a browser.
 */

/** With no touch, click or key for this long, the wall returns to live. */
export const IDLE_RETURN_MS = 5 * 60_000;

/** Whether the playback should end now, given the time of the last input. */
export function idleOver(lastInput: number, now: number, idleMs = IDLE_RETURN_MS): boolean {
  return now - lastInput >= idleMs;
}

/** The wall replays the last hour, ending now. */
export const WALL_REPLAY_MS = 3_600_000;
export function lastHour(now: number): { from: number; to: number } {
  return { from: now - WALL_REPLAY_MS, to: now };
}
