'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventDetail } from '@/lib/contracts/events';
import { getJson } from './api';

export interface DetailState {
  detail: EventDetail | null;
  error: string | null;
  /** Takes an answer of ours (an action's 201 body) without waiting for the next fetch. */
  accept: (detail: EventDetail) => void;
}

/**
 * The drawer's event, fetched when it opens and again whenever the live store carries a new seq
 * for it: every committed change is published, so the drawer follows the wall within a second.
 * An answer older than what is shown (by version) never replaces it.
 */
export function useEventDetail(id: number, seq: number | undefined): DetailState {
  const [state, setState] = useState<{ id: number; detail: EventDetail | null; error: string | null }>({ id, detail: null, error: null });

  const wanted = useRef(id);
  useEffect(() => {
    wanted.current = id;
  }, [id]);

  const accept = useCallback((d: EventDetail) => {
    setState((s) => {
      if (d.id !== wanted.current) return s;
      if (s.id === d.id && s.detail && s.detail.version > d.version) return s;
      return { id: d.id, detail: d, error: null };
    });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    getJson<EventDetail>(`/api/v1/events/${id}`, controller.signal)
      .then((r) => {
        if (r.ok) accept(r.body);
        else if (id === wanted.current) setState((s) => (s.id === id ? { ...s, error: r.message } : { id, detail: null, error: r.message }));
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [id, seq, accept]);

  const current = state.id === id ? state : { detail: null, error: null };
  return { detail: current.detail, error: current.error, accept };
}
