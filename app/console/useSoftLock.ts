'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventLock } from '@/lib/contracts/events';
import { postJson, type ApiResult } from './api';

/** The server lets a lock lapse after 10 idle minutes; touching it at most once a minute of activity keeps it. */
const TOUCH_EVERY_MS = 60_000;
const ACTIVITY = ['mousemove', 'keydown'] as const;

export type LockState =
  | { kind: 'none' }
  | { kind: 'pending' }
  | { kind: 'held'; name: string }
  | { kind: 'taken'; holder: string }
  | { kind: 'error'; message: string };

/*
 * Lock and unlock requests go out one after another: React mounts effects twice in development,
 * and an unlock overtaking the lock that follows it would leave the drawer open with no lock.
 */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(op: () => Promise<T>): Promise<T> {
  const next = queue.then(op, op);
  queue = next.catch(() => undefined);
  return next;
}

const lock = (id: number, takeover: boolean) => serial(() => postJson<EventLock>(`/api/v1/events/${id}/lock`, { takeover }));
const unlock = (id: number, keepalive = false) => serial(() => postJson(`/api/v1/events/${id}/unlock`, {}, { keepalive }));

function holderOf(message: string): string {
  return message.replace(/\s*正在处理此事件$/, '') || '他人';
}

const NONE: LockState = { kind: 'none' };

/**
 * The soft lock of the event in the drawer (issue 4): taken while `wanted`, kept alive by activity,
 * released when the drawer closes, the event changes, or the page goes away. `holder` is who the
 * live store says holds it now: a holder letting go lets us take it; another name appearing on a
 * lock we held means a leader took it over.
 */
export function useSoftLock(eventId: number | null, wanted: boolean, holder: string | null) {
  const [lockOf, setLockOf] = useState<{ id: number; state: LockState } | null>(null);
  const active = eventId !== null && wanted ? eventId : null;
  const state = lockOf && lockOf.id === active ? lockOf.state : active === null ? NONE : { kind: 'pending' as const };

  /** The event whose lock we want now; answers about any other are stale. */
  const openId = useRef<number | null>(null);
  const held = useRef<number | null>(null);
  const lastTouch = useRef(0);

  const apply = useCallback((id: number, r: ApiResult<EventLock>) => {
    if (openId.current !== id) return;
    if (r.ok) {
      held.current = id;
      lastTouch.current = Date.now();
      setLockOf({ id, state: { kind: 'held', name: r.body.name } });
      return;
    }
    if (held.current === id) held.current = null;
    setLockOf({ id, state: r.code === 'locked' ? { kind: 'taken', holder: holderOf(r.message) } : { kind: 'error', message: r.message } });
  }, []);

  useEffect(() => {
    if (active === null) return;
    openId.current = active;
    void lock(active, false).then((r) => apply(active, r));
    return () => {
      openId.current = null;
      held.current = null;
      // Sent even while the lock is on its way: the queue runs it after, and the server ignores an unlock of what we don't hold.
      void unlock(active);
    };
  }, [active, apply]);

  // Activity keeps the lock; ten idle minutes let it lapse on the server, as it should for a desk left alone.
  const holding = state.kind === 'held';
  useEffect(() => {
    if (active === null || !holding) return;
    const onActivity = () => {
      if (Date.now() - lastTouch.current < TOUCH_EVERY_MS) return;
      lastTouch.current = Date.now();
      void lock(active, false).then((r) => apply(active, r));
    };
    for (const e of ACTIVITY) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, onActivity);
    };
  }, [active, holding, apply]);

  // A closing tab runs no effect cleanups; keepalive lets the unlock outlive the page.
  useEffect(() => {
    const onHide = () => {
      if (held.current !== null) void unlock(held.current, true);
    };
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, []);

  // Only a change of holder means something: the store may lag our own lock or takeover by a moment.
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  });
  const lastHolder = useRef(holder);
  useEffect(() => {
    const before = lastHolder.current;
    lastHolder.current = holder;
    if (active === null || before === holder) return;
    const now = stateRef.current;
    if (now.kind === 'taken' && holder === null) void lock(active, false).then((r) => apply(active, r));
    else if (now.kind === 'held' && holder !== null && holder !== now.name) {
      held.current = null;
      setLockOf({ id: active, state: { kind: 'taken', holder } });
    }
  }, [active, holder, apply]);

  const takeover = useCallback(async () => {
    if (active === null) return;
    apply(active, await lock(active, true));
  }, [active, apply]);

  return { state, takeover };
}
