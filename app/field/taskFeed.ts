import { Observable } from '@/app/observable';
import { load } from './api';
import { TaskList, type TaskSummary } from './schemas';

export interface TaskFeedView {
  tasks: readonly TaskSummary[] | null;
  /** When the list shown was fetched (epoch ms); from the phone's cache until the first load. */
  loadedAt: number | null;
  /** The server answered at least once since the page opened. */
  loaded: boolean;
  error: string | null;
  /** The session lapsed: the list cannot load until the user logs in again. */
  needsLogin: boolean;
}

/** Change comes by socket; this only catches what a dropped line or another station's event missed. */
const POLL_MS = 60_000;
/** Several changes in a burst (a step, its lock, a card) make one fetch. */
const COALESCE_MS = 150;

/**
 * The "mine" list (GET /api/v1/events?scope=mine) with a copy on the phone, so opening the page
 * in a dead spot still shows yesterday's tasks, marked with when they were fetched.
 */
export class TaskFeed extends Observable {
  private view: TaskFeedView;
  private inFlight = false;
  private again = false;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private readonly newListeners = new Set<(tasks: TaskSummary[]) => void>();

  constructor(private readonly cacheKey: string) {
    super();
    this.view = { ...this.readCache(), loaded: false, error: null, needsLogin: false };
  }

  start(): void {
    this.poll ??= setInterval(() => {
      if (document.visibilityState === 'visible') void this.refresh();
    }, POLL_MS);
    void this.refresh();
  }

  stop(): void {
    clearInterval(this.poll);
    this.poll = undefined;
    clearTimeout(this.soon);
  }

  /** Coalesces a burst of live changes into one fetch. */
  refreshSoon(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.refresh();
    }, COALESCE_MS);
  }

  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      do {
        this.again = false;
        const r = await load('/api/v1/events?scope=mine', TaskList);
        if (r.ok) {
          const before = this.view.loaded ? new Set(this.view.tasks?.map((t) => t.id)) : null;
          this.set({ tasks: r.data, loadedAt: Date.now(), loaded: true, error: null, needsLogin: false });
          this.writeCache(r.data);
          const fresh = before ? r.data.filter((t) => !before.has(t.id)) : [];
          if (fresh.length) for (const fn of this.newListeners) fn(fresh);
        } else {
          this.set({ ...this.view, error: r.message, needsLogin: r.status === 401 });
        }
      } while (this.again);
    } finally {
      this.inFlight = false;
    }
  }

  has(id: number): boolean {
    return this.view.tasks?.some((t) => t.id === id) ?? false;
  }

  /** Tasks that appear between two loads (a department's new routing, a gridder's check to make). */
  onNew(fn: (tasks: TaskSummary[]) => void): () => void {
    this.newListeners.add(fn);
    return () => this.newListeners.delete(fn);
  }

  readonly getView = (): TaskFeedView => this.view;

  private set(view: TaskFeedView): void {
    this.view = view;
    this.notify();
  }

  private readCache(): { tasks: TaskSummary[] | null; loadedAt: number | null } {
    try {
      const raw = JSON.parse(localStorage.getItem(this.cacheKey) ?? 'null') as { at?: unknown; tasks?: unknown } | null;
      const tasks = TaskList.safeParse(raw?.tasks);
      if (tasks.success && typeof raw?.at === 'number') return { tasks: tasks.data, loadedAt: raw.at };
    } catch {
      // A corrupt cache is no cache.
    }
    return { tasks: null, loadedAt: null };
  }

  private writeCache(tasks: TaskSummary[]): void {
    try {
      localStorage.setItem(this.cacheKey, JSON.stringify({ at: Date.now(), tasks }));
    } catch {
      // Storage full: the list still shows, it just won't be there offline.
    }
  }
}
