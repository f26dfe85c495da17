'use client';

import { useSyncExternalStore } from 'react';
import type { LiveStore, LiveView } from './store';

/** The panels' view of the live store; re-renders only when the store publishes a new view. */
export function useLiveStore(store: LiveStore): LiveView {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
