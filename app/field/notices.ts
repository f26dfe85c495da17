import { Observable } from '@/app/observable';
import { StoredNotice } from './schemas';

/** Enough for a shift or two; older ones are in the event timelines anyway. */
const KEEP = 100;

/**
 * Notices on the phone: the server's (NoticeV1, by socket; there is no list to fetch) and the
 * page's own (a queued report got through, a new task arrived). Kept per account in localStorage
 * so they survive a reload.
 */
export class NoticeBook extends Observable {
  private list: StoredNotice[];

  constructor(private readonly key: string) {
    super();
    this.list = this.read();
  }

  add(n: Omit<StoredNotice, 'read'>): void {
    if (this.list.some((x) => x.key === n.key)) return;
    this.list = [{ ...n, read: false }, ...this.list].slice(0, KEEP);
    this.save();
  }

  markAllRead(): void {
    if (!this.list.some((n) => !n.read)) return;
    this.list = this.list.map((n) => (n.read ? n : { ...n, read: true }));
    this.save();
  }

  readonly getList = (): readonly StoredNotice[] => this.list;

  private save(): void {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.list));
    } catch {
      // Storage full: notices still show until the page closes.
    }
    this.notify();
  }

  private read(): StoredNotice[] {
    try {
      const raw: unknown = JSON.parse(localStorage.getItem(this.key) ?? '[]');
      return Array.isArray(raw) ? raw.flatMap((r) => { const p = StoredNotice.safeParse(r); return p.success ? [p.data] : []; }) : [];
    } catch {
      return [];
    }
  }
}
