/*
 * Photos waiting for upload, kept on the phone so a report made out of signal still carries them
 * after the page is closed. IndexedDB holds blobs as they are; localStorage would need base64 of
 * several hundred kB each and would stall the page on every write. Where IndexedDB is missing
 * (some private modes) the photos live as long as the page.
 */

const DB_NAME = 'liandong-field';
const STORE = 'photos';

interface Stored {
  blob: Blob;
  at: number;
}

const memory = new Map<string, Stored>();
let opening: Promise<IDBDatabase | null> | null = null;

function open(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
    req.onblocked = () => resolve(null);
  });
  return opening;
}

function run<T>(db: IDBDatabase, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = fn(db.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB'));
  });
}

export async function putPhoto(key: string, blob: Blob): Promise<void> {
  const value: Stored = { blob, at: Date.now() };
  memory.set(key, value);
  const db = await open();
  if (db) await run(db, 'readwrite', (s) => s.put(value, key)).catch(() => undefined);
}

export async function getPhoto(key: string): Promise<Blob | null> {
  const hit = memory.get(key);
  if (hit) return hit.blob;
  const db = await open();
  if (!db) return null;
  const stored = (await run<Stored | undefined>(db, 'readonly', (s) => s.get(key)).catch(() => undefined)) ?? null;
  return stored?.blob ?? null;
}

export async function deletePhoto(key: string): Promise<void> {
  memory.delete(key);
  const db = await open();
  if (db) await run(db, 'readwrite', (s) => s.delete(key)).catch(() => undefined);
}

/** Drops photos nothing refers to any more (a form abandoned, a tab closed mid-way) once a day old. */
export async function sweepPhotos(keep: ReadonlySet<string>, olderThanMs = 24 * 3600_000): Promise<void> {
  const db = await open();
  if (!db) return;
  const cutoff = Date.now() - olderThanMs;
  const keys = await run(db, 'readonly', (s) => s.getAllKeys()).catch(() => [] as IDBValidKey[]);
  for (const key of keys) {
    if (typeof key !== 'string' || keep.has(key)) continue;
    const stored = await run<Stored | undefined>(db, 'readonly', (s) => s.get(key)).catch(() => undefined);
    if (!stored || stored.at < cutoff) await deletePhoto(key);
  }
}
