'use client';

import { useCallback, useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { z } from 'zod';
import { NoticeV1 } from '@/lib/contracts/events';
import { getJson, postJson } from './api';

/** The server keeps the newest 100 for the list; the bell shows as many. */
const KEEP = 100;
const TOAST_MS = 8000;

const StoredNotices = z.array(NoticeV1.extend({ read: z.boolean() }));
export type Notice = NoticeV1 & { read: boolean };

export interface Notices {
  list: readonly Notice[];
  unread: number;
  /** The newest notice while its toast shows. */
  toast: NoticeV1 | null;
  markRead: () => void;
  dismissToast: () => void;
}

function merge(list: readonly Notice[], more: readonly Notice[]): Notice[] {
  const byId = new Map(list.map((n) => [n.id, n]));
  for (const n of more) byId.set(n.id, { ...n, read: n.read || (byId.get(n.id)?.read ?? false) });
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id).slice(0, KEEP);
}

/**
 * Supervision notices (S13 yellow and red cards) for this account: those stored while the page was
 * closed (GET /api/v1/notices), then live from the `/field` namespace where the server addresses
 * each account's room. Opening the bell marks them read on the server.
 */
export function useNotices(): Notices {
  const [list, setList] = useState<readonly Notice[]>([]);
  const [toast, setToast] = useState<NoticeV1 | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    void getJson<unknown>('/api/v1/notices', controller.signal)
      .then((r) => {
        const parsed = r.ok ? StoredNotices.safeParse(r.body) : null;
        if (parsed?.success) setList((l) => merge(l, parsed.data));
      })
      .catch(() => undefined);

    const socket = io('/field', { transports: ['websocket'], forceNew: true });
    let retry: ReturnType<typeof setTimeout> | undefined;
    socket.on('notice', (raw: unknown) => {
      const parsed = NoticeV1.safeParse(raw);
      if (!parsed.success) return console.warn('[console] malformed notice:', parsed.error.issues[0]?.message);
      setList((l) => merge(l, [{ ...parsed.data, read: false }]));
      setToast(parsed.data);
    });
    // Refused by the server's guard, the client stops retrying; a desk left open should not.
    socket.on('connect_error', () => {
      if (!socket.active) retry = setTimeout(() => socket.connect(), 10_000);
    });
    return () => {
      controller.abort();
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, []);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  const unreadIds = list.filter((n) => !n.read).map((n) => n.id);
  const key = unreadIds.join(',');
  const markRead = useCallback(() => {
    if (!key) return;
    const ids = key.split(',').map(Number);
    setList((l) => l.map((n) => (ids.includes(n.id) ? { ...n, read: true } : n)));
    void postJson('/api/v1/notices/read', { ids });
  }, [key]);
  const dismissToast = useCallback(() => setToast(null), []);
  return { list, unread: unreadIds.length, toast, markRead, dismissToast };
}
