import { io, type Socket } from 'socket.io-client';
import { Observable } from '@/app/observable';
import { isRefusal, leaveIfSignedOut } from '@/app/live/signedOut';

interface ServerEvents {
  incident: (incident: unknown) => void;
  resync: () => void;
}

const RETRY_MS = 5000;

/**
 * The cockpit's ear on /live. It needs no payloads, only the news that an event in the viewer's
 * reach changed (`incident`, sent after every committed change, issue 13: figures move within
 * 2 s) or that messages may have been missed (`resync`, a reconnect). The socket is opened as
 * the wall's LiveStore opens it (app/live/store.ts), with the same sign-out handling; the
 * server's rooms (lib/access/scope.ts) already limit what reaches it to the viewer's reach.
 */
export class LiveNudges extends Observable {
  private socket: Socket<ServerEvents> | null = null;
  private readonly nudged = new Set<() => void>();
  private retry: ReturnType<typeof setTimeout> | undefined;
  private connected = false;

  readonly getConnected = (): boolean => this.connected;

  /** Called after each change that may move a figure. */
  onNudge(listener: () => void): () => void {
    this.nudged.add(listener);
    return () => this.nudged.delete(listener);
  }

  start(): void {
    if (this.socket) return;
    // forceNew: a restarted hook must not pick up the manager of the socket it just closed.
    const socket: Socket<ServerEvents> = io('/live', { transports: ['websocket'], forceNew: true });
    this.socket = socket;
    socket.on('connect', () => {
      this.setConnected(true);
      // Changes made while the socket was away came to nobody: ask again.
      this.nudge();
    });
    socket.on('disconnect', (reason) => {
      this.setConnected(false);
      if (isRefusal(reason)) void leaveIfSignedOut().then((left) => left || this.later(() => socket.connect()));
    });
    socket.on('connect_error', (error) => {
      if (isRefusal(error)) void leaveIfSignedOut();
      // A refusal ends the client's own retrying; a cockpit on a wall keeps trying.
      if (!socket.active) this.later(() => socket.connect());
    });
    socket.on('incident', () => this.nudge());
    socket.on('resync', () => this.nudge());
  }

  stop(): void {
    clearTimeout(this.retry);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.setConnected(false);
  }

  private nudge(): void {
    for (const listener of this.nudged) listener();
  }

  private setConnected(on: boolean): void {
    if (on === this.connected) return;
    this.connected = on;
    this.notify();
  }

  private later(fn: () => void): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(fn, RETRY_MS);
  }
}
