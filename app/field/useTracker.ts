'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { DutyState } from '@/lib/contracts/duty';
import { load } from './api';
import { newKey } from './keys';
import type { OutboxItem } from './outbox';
import type { Outbox } from './outboxRunner';
import { Tracker, type TrackerView } from './trackerRunner';

const DUTY_URL = '/api/v1/duty';
const isDuty = (i: OutboxItem) => i.payload.kind === 'command' && i.payload.url === DUTY_URL;

/**
 * The phone's duty and position reporting (issue 12) for one account. A duty change goes through
 * the outbox like any other step, so it survives a dead zone and a reload; the server's state is
 * read on start and on every reconnect (`refresh`).
 */
export function useTracker(owner: string, outbox: Outbox): { tracker: Tracker; view: TrackerView; refresh: () => void } {
  const [tracker] = useState(
    () =>
      new Tracker(`liandong.field.tracker.v1:${owner}`, async (onDuty) => {
        const { id, outcome } = await outbox.submit({ kind: 'command', url: DUTY_URL, body: { onDuty, requestKey: newKey() }, photos: [], summary: onDuty ? '上岗' : '下岗' });
        if (outcome.kind === 'retry') return 'queued';
        if (outcome.kind === 'fail') {
          outbox.drop(id);
          return { refused: outcome.message };
        }
        const state = DutyState.safeParse(outcome.body);
        return state.success ? state.data : { refused: '服务器回复的格式不符' };
      }),
  );
  const view = useSyncExternalStore(tracker.subscribe, tracker.getView, () => Tracker.EMPTY);
  const [refresh] = useState(() => () => {
    void load(DUTY_URL, DutyState).then((r) => {
      if (r.ok) tracker.known(r.data, outbox.getView().items.some((i) => isDuty(i) && !i.failed));
    });
  });

  useEffect(() => {
    tracker.start();
    refresh();
    return () => tracker.stop();
  }, [tracker, refresh]);

  // A change queued in a dead zone got through: the server's answer is the state now.
  useEffect(
    () =>
      outbox.onDelivered((item, outcome) => {
        if (!isDuty(item)) return;
        const state = DutyState.safeParse(outcome.body);
        if (state.success) tracker.confirmed(state.data);
      }),
    [outbox, tracker],
  );

  return { tracker, view, refresh };
}
