'use client';

import { useEffect, useEffectEvent, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { isRefusal, leaveIfSignedOut } from '../live/signedOut';
import { NoticeV1 } from '@/lib/contracts/events';
import { IncidentV1 } from '@/lib/contracts/live';

interface ServerEvents {
  incident: (raw: unknown) => void;
  notice: (raw: unknown) => void;
  command: (raw: unknown) => void;
  resync: () => void;
}

interface ClientEvents {
  pos: (items: unknown[], ack: (reply: unknown) => void) => void;
}

/** After the server's middleware refuses us (a session that lapsed), socket.io stops trying; we don't. */
const REFUSED_RETRY_MS = 15_000;

export type SocketState = 'connecting' | 'online' | 'offline';

/**
 * The phone's live line (namespace /field): every change of an event in the user's station and
 * notices, dispatches and invitations to the account. `onConnect` runs on each (re)connect, since what happened while the
 * line was down arrives by no other way than a fresh load.
 */
export function useFieldSocket(
  enabled: boolean,
  handlers: {
    onIncident: (i: IncidentV1) => void;
    onNotice: (n: NoticeV1) => void;
    onCommand: (raw: unknown) => void;
    onConnect: () => void;
    /** The line for the phone's positions (issue 12): `pos` with its acknowledgement while connected, null while not. */
    onLine?: (line: ((items: unknown[], timeoutMs: number) => Promise<unknown>) | null) => void;
  },
): SocketState {
  const [state, setState] = useState<SocketState>('connecting');
  const onIncident = useEffectEvent(handlers.onIncident);
  const onNotice = useEffectEvent(handlers.onNotice);
  const onConnect = useEffectEvent(handlers.onConnect);
  const onCommand = useEffectEvent(handlers.onCommand);
  const onLine = useEffectEvent((line: Parameters<NonNullable<typeof handlers.onLine>>[0]) => handlers.onLine?.(line));

  useEffect(() => {
    if (!enabled) return;
    // forceNew: React runs effects twice in development; the second socket must not reuse the first's manager.
    const socket: Socket<ServerEvents, ClientEvents> = io('/field', { transports: ['websocket'], forceNew: true });
    let retry: ReturnType<typeof setTimeout> | undefined;
    socket.on('connect', () => {
      setState('online');
      onLine((items, timeoutMs) => socket.timeout(timeoutMs).emitWithAck('pos', items));
      onConnect();
    });
    socket.on('disconnect', (reason) => {
      setState('offline');
      onLine(null);
      if (isRefusal(reason)) void leaveIfSignedOut().then((left) => left || socket.connect());
    });
    socket.on('connect_error', (error) => {
      setState('offline');
      if (isRefusal(error)) void leaveIfSignedOut();
      if (!socket.active) retry = setTimeout(() => socket.connect(), REFUSED_RETRY_MS);
    });
    socket.on('incident', (raw) => {
      const parsed = IncidentV1.safeParse(raw);
      if (parsed.success) onIncident(parsed.data);
    });
    socket.on('notice', (raw) => {
      const parsed = NoticeV1.safeParse(raw);
      if (parsed.success) onNotice(parsed.data);
    });
    // The server's backbone was away (issue 11): what it carried meanwhile never came, so reload as on a reconnect.
    socket.on('resync', () => onConnect());
    // Dispatches of this account's unit and invitations to it (issue 5); the feed validates them.
    socket.on('command', (raw) => onCommand(raw));
    return () => {
      clearTimeout(retry);
      onLine(null);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [enabled]);

  return state;
}
