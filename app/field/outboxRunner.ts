import { Observable } from '@/app/observable';
import {
  deferDue, discard, dueItems, enqueue, nextWakeMs, pendingCount, retryAll, retryOne, settle, withPhotoId,
  type OutboxItem, type OutboxPayload, type Outcome,
} from './outbox';
import { newKey } from './keys';
import { deletePhoto, sweepPhotos } from './photoStore';
import { StoredOutboxItem } from './schemas';

export interface OutboxView {
  items: readonly OutboxItem[];
  /** Items still to be sent (refused ones excluded). */
  pending: number;
  /** The phone's storage refused the queue: it lives only as long as this page. */
  notPersisted: boolean;
}

export type Sender = (item: OutboxItem, notePhoto: (local: string, id: string) => void) => Promise<Outcome>;
export type DeliveredListener = (item: OutboxItem, outcome: Extract<Outcome, { kind: 'ok' }>, firstAttempt: boolean) => void;

const EMPTY: OutboxView = { items: [], pending: 0, notPersisted: false };

/**
 * The outbox's timers, storage and network events around the pure rules of outbox.ts. One per
 * account: the storage key carries the owner, so a phone handed to a colleague does not send the
 * first user's reports under the second one's session.
 */
export class Outbox extends Observable {
  private items: OutboxItem[] = [];
  private view: OutboxView = EMPTY;
  private notPersisted = false;
  private flushing = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly waiting = new Map<string, (o: Outcome) => void>();
  private readonly deliveredListeners = new Set<DeliveredListener>();
  private stopped = true;

  constructor(
    private readonly key: string,
    private readonly send: Sender,
  ) {
    super();
  }

  static getServerView(): OutboxView {
    return EMPTY;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.items = this.read();
    this.publish();
    window.addEventListener('online', this.onOnline);
    window.addEventListener('storage', this.onStorage);
    document.addEventListener('visibilitychange', this.onVisible);
    void sweepPhotos(new Set(this.items.flatMap((i) => i.payload.photos.map((p) => p.local)))).catch(() => undefined);
    void this.flush();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('storage', this.onStorage);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  /**
   * Queues a report or a step and tries it at once; resolves with that first attempt's outcome.
   * When the server refuses it, the page that is still open shows why and calls `drop`.
   */
  async submit(payload: OutboxPayload): Promise<{ id: string; outcome: Outcome }> {
    const id = newKey();
    this.update(enqueue(this.items, payload, id, Date.now()));
    const first = new Promise<Outcome>((resolve) => this.waiting.set(id, resolve));
    void this.flush();
    return { id, outcome: await first };
  }

  /** Takes an item out while its form still holds the photos (so they are not deleted). */
  drop(id: string): void {
    this.update(discard(this.items, id));
  }

  retry(id: string): void {
    this.update(retryOne(this.items, id, Date.now()));
    void this.flush();
  }

  retryNow(): void {
    this.update(retryAll(this.items, Date.now()));
    void this.flush();
  }

  discard(id: string): void {
    const item = this.items.find((i) => i.id === id);
    this.update(discard(this.items, id));
    for (const p of item?.payload.photos ?? []) void deletePhoto(p.local);
  }

  onDelivered(fn: DeliveredListener): () => void {
    this.deliveredListeners.add(fn);
    return () => this.deliveredListeners.delete(fn);
  }

  readonly getView = (): OutboxView => this.view;

  private async flush(): Promise<void> {
    if (this.stopped) return;
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    clearTimeout(this.timer);
    try {
      do {
        this.again = false;
        for (const item of dueItems(this.items, Date.now())) {
          if (this.stopped) return;
          if (!this.items.some((i) => i.id === item.id)) continue; // discarded meanwhile
          const outcome = await this.attempt(item);
          this.update(settle(this.items, item.id, outcome, Date.now()));
          const first = this.resolve(item.id, outcome);
          if (outcome.kind === 'ok') {
            for (const p of item.payload.photos) void deletePhoto(p.local);
            for (const fn of this.deliveredListeners) fn(item, outcome, first);
          }
          if (outcome.kind === 'retry' && outcome.status === null) {
            const until = this.items.find((i) => i.id === item.id)?.nextAt ?? Date.now();
            this.update(deferDue(this.items, until, Date.now()));
            for (const other of this.items) this.resolve(other.id, outcome);
            break;
          }
        }
      } while (this.again && !this.stopped);
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  /** One try; a bug or a storage fault in sending counts as a failed try, not a stuck queue. */
  private async attempt(item: OutboxItem): Promise<Outcome> {
    try {
      return await this.send(item, (local, photoId) => this.update(withPhotoId(this.items, item.id, local, photoId)));
    } catch (error) {
      console.error('[outbox]', error);
      return { kind: 'retry', status: 0, message: '发送出错，稍后重试' };
    }
  }

  /** Answers the page waiting on an item's first attempt; true when one was waiting. */
  private resolve(id: string, outcome: Outcome): boolean {
    const fn = this.waiting.get(id);
    if (!fn) return false;
    this.waiting.delete(id);
    fn(outcome);
    return true;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const wait = nextWakeMs(this.items, Date.now());
    if (wait !== null) this.timer = setTimeout(() => void this.flush(), Math.max(wait, 250));
  }

  private update(items: OutboxItem[]): void {
    this.items = items;
    this.write();
    this.publish();
  }

  private publish(): void {
    this.view = { items: this.items, pending: pendingCount(this.items), notPersisted: this.notPersisted };
    this.notify();
  }

  private read(): OutboxItem[] {
    try {
      const raw: unknown = JSON.parse(localStorage.getItem(this.key) ?? '[]');
      if (!Array.isArray(raw)) return [];
      return raw.flatMap((r) => {
        const parsed = StoredOutboxItem.safeParse(r);
        return parsed.success ? [parsed.data as OutboxItem] : [];
      });
    } catch {
      return [];
    }
  }

  private write(): void {
    try {
      if (this.items.length) localStorage.setItem(this.key, JSON.stringify(this.items));
      else localStorage.removeItem(this.key);
      this.notPersisted = false;
    } catch {
      this.notPersisted = true;
    }
  }

  private readonly onOnline = () => this.retryNow();

  // Back out of the pocket: the link may have recovered without the browser ever calling it offline.
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.retryNow();
  };

  /** Another tab of the same account changed the queue. */
  private readonly onStorage = (e: StorageEvent) => {
    if (e.key !== this.key) return;
    this.items = this.read();
    this.publish();
    this.schedule();
  };
}
