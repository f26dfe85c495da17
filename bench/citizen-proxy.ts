// bench:citizen's network: a TCP proxy in front of the server that gives every connection a phone's
// link — a round trip of `rttMs` and `kbitPerSecond` each way (Lighthouse's "slow 3G": 400 ms,
// 400 kbit/s) — and cuts some connections in the middle of the answer to a report, after the
// server has committed it, so the resident's phone sees an error and sends the same report again
// with the same idempotency key.
import net from 'node:net';

export interface Throttle {
  rttMs: number;
  kbitPerSecond: number;
  /** Of the answers to POST `dropPath`, the share cut after their first bytes. */
  dropRate: number;
  dropPath: string;
}

export interface ProxyStats {
  connections: number;
  /** Answers cut mid-way. */
  dropped: number;
}

/** Bytes one way through a link of `bytesPerMs`, delivered `delayMs` after they were put on the wire. */
class Link {
  private freeAt: number;
  private queued = 0;
  constructor(
    private readonly to: net.Socket,
    private readonly from: net.Socket,
    private readonly bytesPerMs: number,
    private readonly delayMs: number,
    /** Nothing goes before this much time has passed: the TCP handshake a phone waits a round trip for. */
    startAfterMs = 0,
  ) {
    this.freeAt = performance.now() + startAfterMs;
  }

  /** Milliseconds until the last byte handed to the link has arrived. */
  drainedIn(): number {
    return Math.max(0, this.freeAt + this.delayMs - performance.now()) + 5;
  }

  send(chunk: Buffer): void {
    // Segments of a TCP packet's size, so a large body takes its time rather than arriving at once.
    for (let at = 0; at < chunk.length; at += 1400) {
      const piece = chunk.subarray(at, at + 1400);
      const now = performance.now();
      this.freeAt = Math.max(this.freeAt, now) + piece.length / this.bytesPerMs;
      this.queued += piece.length;
      setTimeout(() => {
        this.queued -= piece.length;
        if (!this.to.destroyed) this.to.write(piece);
        if (this.queued < 64 * 1024 && this.from.isPaused()) this.from.resume();
      }, this.freeAt + this.delayMs - now);
    }
    // The sender waits while its bytes queue on the slow link, as it would on a phone.
    if (this.queued >= 64 * 1024) this.from.pause();
  }
}

export class ThrottlingProxy {
  readonly stats: ProxyStats = { connections: 0, dropped: 0 };
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private random: () => number;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly throttle: Throttle,
    seed = 1,
  ) {
    let x = seed >>> 0 || 1;
    this.random = () => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return x / 2 ** 32;
    };
    this.server = net.createServer((client) => this.connect(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: net.Socket): void {
    this.stats.connections += 1;
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    const bytesPerMs = (this.throttle.kbitPerSecond * 1000) / 8 / 1000;
    const oneWay = this.throttle.rttMs / 2;
    const up = new Link(upstream, client, bytesPerMs, oneWay, this.throttle.rttMs);
    const down = new Link(client, upstream, bytesPerMs, oneWay);
    // Set when a report goes up this connection: the next answer coming down may be cut.
    let armed = false;
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      if (chunk.subarray(0, 200).toString('latin1').startsWith(`POST ${this.throttle.dropPath}`)) armed = true;
      up.send(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (armed && this.random() < this.throttle.dropRate) {
        // The status line and part of the headers get through, then the line goes dead.
        this.stats.dropped += 1;
        down.send(chunk.subarray(0, Math.min(chunk.length, 20)));
        setTimeout(end, this.throttle.rttMs);
        upstream.removeAllListeners('data');
        client.removeAllListeners('data');
        return;
      }
      armed = false;
      down.send(chunk);
    });
    // A side that closes first has its last bytes delivered before the other side is closed.
    client.on('error', end).on('close', () => setTimeout(end, up.drainedIn()));
    upstream.on('error', end).on('close', () => setTimeout(end, down.drainedIn()));
  }
}
