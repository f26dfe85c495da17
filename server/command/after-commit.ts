/**
 * Publishing after the commit: the record already holds the change, so a failure to tell the
 * screens (Redis gone for a moment) must not turn the click's answer into an error — the screens
 * catch up from the record on their next sync (the wall and console every 2 minutes and on
 * reconnect, the phone on reconnect). Logged, not thrown.
 */
export async function afterCommit(publish: Promise<unknown>): Promise<void> {
  await publish.catch((err: Error) => console.error('[command] publish after commit failed:', err.message));
}
