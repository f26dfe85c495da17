'use client';

import { useEffect, useState } from 'react';
import type { DispatchProposalV1 } from '@/lib/contracts/command';
import { getJson } from '../api';

/** The nearest available units for an event; fetched again whenever `version` changes (a dispatch moved). */
export function useProposal(eventId: number, enabled: boolean, version: string): { proposal: DispatchProposalV1 | null; error: string | null } {
  const [state, setState] = useState<{ proposal: DispatchProposalV1 | null; error: string | null }>({ proposal: null, error: null });
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    getJson<DispatchProposalV1>(`/api/v1/dispatches/proposal?event=${eventId}`, abort.signal)
      .then((r) => setState(r.ok ? { proposal: r.body, error: null } : { proposal: null, error: r.message }))
      .catch(() => undefined);
    return () => abort.abort();
  }, [eventId, enabled, version]);
  return state;
}
