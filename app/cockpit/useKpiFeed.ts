'use client';

import { useEffect, useState } from 'react';
import { client, HttpError } from '@/app/http';
import { leaveIfSignedOut } from '@/app/live/signedOut';
import type { LiveNudges } from './liveNudges';
import { Refresher } from './refresher';

/** Time alone moves some figures (超期, 在线率, "today" turning into yesterday): ask again this often. */
export const PERIODIC_MS = 60_000;

// A lapsed session goes to the login page and back, as the wall's live store does.
const api = client(() => void leaveIfSignedOut());

export interface KpiFeed<T> {
  data: T | null;
  /** The path `data` answers; a screen can tell a stale answer from the one it asked for. */
  dataPath: string | null;
  /** Why the last request failed, in Chinese; the last good data stays shown. */
  error: string | null;
  /** 403: the viewer may not see this area. */
  refused: boolean;
}

function reason(error: unknown): string {
  if (error instanceof HttpError) {
    if (error.status === 403) return '无权查看该范围';
    const said = error.issues[0]?.message ?? error.said;
    return said && /[\u4e00-\u9fff]/.test(said) ? said : error.status === 0 ? '网络连接失败，正在重试' : `数据加载失败（${error.status}）`;
  }
  return '数据加载失败，正在重试';
}

/**
 * One KPI endpoint, kept current: asked at once when `path` changes, again (debounced, one
 * request at a time, app/cockpit/refresher.ts) at each live nudge, and every minute. null: nothing to ask.
 */
export function useKpiFeed<T>(path: string | null, nudges: LiveNudges): KpiFeed<T> {
  const [feed, setFeed] = useState<KpiFeed<T>>({ data: null, dataPath: null, error: null, refused: false });

  useEffect(() => {
    if (path === null) return;
    const refresher = new Refresher(async (signal) => {
      try {
        const body = await api.get<T>(path, { signal, timeoutMs: 20_000 });
        if (!signal.aborted) setFeed({ data: body, dataPath: path, error: null, refused: false });
      } catch (error) {
        if (signal.aborted) return;
        const refused = error instanceof HttpError && error.status === 403;
        setFeed((f) => ({ ...f, error: reason(error), refused }));
      }
    });
    refresher.restart();
    const off = nudges.onNudge(() => refresher.nudge());
    const periodic = setInterval(() => refresher.nudge(), PERIODIC_MS);
    return () => {
      off();
      clearInterval(periodic);
      refresher.stop();
    };
  }, [path, nudges]);

  return feed;
}
