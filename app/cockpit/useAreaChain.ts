'use client';

import { useEffect, useMemo, useState } from 'react';
import type { AreaInfo, AreaRef, KpiAnswerV1 } from '@/lib/contracts/kpi';
import { http } from '@/app/http';

const MAX_DEPTH = 4; // district › town › station › grid

/**
 * The breadcrumb from the district down to `area` (AreaInfo.parent, one level at a time). Areas
 * already seen (the answer, the ranking's rows) give their names; an ancestor not yet seen — a
 * shared link straight to a grid — is asked for once. The chain stops at `top`: a station leader's
 * crumbs begin at their station, above which they may not look.
 */
export function useAreaChain(area: AreaInfo | null, seen: readonly AreaInfo[], top: AreaRef | null): AreaInfo[] {
  const [fetched, setFetched] = useState<ReadonlyMap<AreaRef, AreaInfo>>(new Map());
  const known = useMemo(() => {
    const m = new Map(fetched);
    for (const a of seen) m.set(a.ref, a);
    if (area) m.set(area.ref, area);
    return m;
  }, [fetched, seen, area]);

  const chain = useMemo(() => {
    const out: AreaInfo[] = [];
    let at = area;
    while (at && out.length < MAX_DEPTH) {
      out.unshift(at);
      if (at.ref === top || at.parent === null) break;
      at = known.get(at.parent) ?? null;
    }
    return out;
  }, [area, known, top]);

  // The first crumb's parent, when it is not the top and not known yet.
  const missing = chain[0] && chain[0].ref !== top ? chain[0].parent : null;
  useEffect(() => {
    if (missing === null || known.has(missing)) return;
    const controller = new AbortController();
    http
      .get<KpiAnswerV1>(`/api/v1/kpi?${new URLSearchParams({ area: missing, period: 'today' })}`, { signal: controller.signal })
      .then((a) => setFetched((m) => new Map(m).set(a.area.ref, a.area)))
      .catch(() => undefined);
    return () => controller.abort();
  }, [missing, known]);

  return chain;
}
