import { io, type Socket } from 'socket.io-client';
import { readTick } from '@/lib/live/pack';

/**
 * An open wall, as a socket client with a wall's session: it reconnects on its own as the page
 * does. Records when live positions arrive, by the time of the newest fix they carry.
 */
export class ChaosWall {
  private socket: Socket | null = null;
  /** [arrival, newest fix time] of each tick. */
  readonly ticks: [number, number][] = [];
  resyncs = 0;
  reconnects = 0;

  constructor(private readonly url: string) {}

  async open(displayToken: string): Promise<void> {
    const res = await fetch(`${this.url}/wall?display=${encodeURIComponent(displayToken)}`, { redirect: 'manual' });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    if (!cookie) throw new Error(`the wall got no session (${res.status})`);
    const socket = io(`${this.url}/live`, { transports: ['websocket'], extraHeaders: { cookie }, reconnectionDelay: 250, reconnectionDelayMax: 1000 });
    this.socket = socket;
    socket.on('pos', (raw: ArrayBuffer | Uint8Array) => {
      const bytes = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
      let newest = 0;
      readTick(bytes).forEach((_id, _lon, _lat, t) => void (newest = Math.max(newest, t)));
      this.ticks.push([Date.now(), newest]);
      if (this.ticks.length > 10_000) this.ticks.splice(0, 5_000);
    });
    socket.on('resync', () => void (this.resyncs += 1));
    socket.io.on('reconnect', () => void (this.reconnects += 1));
    await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
  }

  /** Seconds from `from` until a tick carried a fix made after it. */
  liveAfter(from: number): number | null {
    const hit = this.ticks.find(([at, newest]) => at >= from && newest >= from);
    return hit ? (hit[0] - from) / 1000 : null;
  }

  close(): void {
    this.socket?.close();
  }
}
