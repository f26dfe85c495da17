/*
 * What the resident's phone keeps (localStorage): its random device id, the idempotency key of each
 * form until the server acknowledges it, and the list 我的诉求 of codes this phone received.
 * The functions take the Storage so they are tested without a browser.
 */
import { newKey } from '@/app/field/keys';

const DEVICE = 'liandong.m.device.v1';
const PENDING = 'liandong.m.pending.v1';
export const MINE = 'liandong.m.mine.v1';
/** Older entries than this are dropped from 我的诉求: the phone is not an archive. */
const MINE_MAX = 30;

export type FormKind = 'report' | 'mediation' | 'question' | 'feedback';

/** One receipt remembered on this phone. The pin is the resident's own, on their own phone. */
export interface MineEntry {
  code: string;
  pin: string;
  kindLabel: string;
  summary: string;
  at: string;
}

function read<T>(storage: Storage, key: string, fallback: T): T {
  try {
    const raw = storage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

function write(storage: Storage, key: string, value: unknown): void {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full store: the request still goes; only the memory of it is lost.
  }
}

/** The contract's DeviceId: 16–64 of [A-Za-z0-9_-]; newKey gives a UUID (36) or 32 hex. */
export function deviceId(storage: Storage): string {
  const known = storage.getItem(DEVICE);
  if (known && /^[A-Za-z0-9_-]{16,64}$/.test(known)) return known;
  const made = newKey();
  try {
    storage.setItem(DEVICE, made);
  } catch {
    // Not kept: this visit still sends one id; the next visit is another phone to the rate limits.
  }
  return made;
}

/** Cheap fingerprint of what is being sent: the same words again reuse the key, edited ones do not. */
export function fingerprint(body: unknown): string {
  const text = JSON.stringify(body);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${h >>> 0}`;
}

type Pending = Partial<Record<FormKind, { key: string; print: string }>>;

/**
 * The idempotency key for sending `body` from form `kind`. Kept until acknowledged (settle), so a
 * retry after a lost answer carries the same key and the server answers with the first receipt
 * (one request, never two). A changed body is a new request and gets a new key; otherwise the
 * server would refuse it as a key reused with another body (409).
 */
export function keyFor(storage: Storage, kind: FormKind, body: unknown): string {
  const pending = read<Pending>(storage, PENDING, {});
  const print = fingerprint(body);
  const had = pending[kind];
  if (had && had.print === print) return had.key;
  const key = newKey();
  write(storage, PENDING, { ...pending, [kind]: { key, print } });
  return key;
}

/** The server acknowledged (or finally refused) the form's request: the next one is new. */
export function settle(storage: Storage, kind: FormKind): void {
  const pending = read<Pending>(storage, PENDING, {});
  delete pending[kind];
  write(storage, PENDING, pending);
}

export function mine(storage: Storage): MineEntry[] {
  const list = read<unknown>(storage, MINE, []);
  return Array.isArray(list) ? (list as MineEntry[]).filter((e) => typeof e?.code === 'string') : [];
}

/** A retry that returns the first receipt must not list the code twice. */
export function remember(storage: Storage, entry: MineEntry): void {
  const rest = mine(storage).filter((e) => e.code !== entry.code);
  write(storage, MINE, [entry, ...rest].slice(0, MINE_MAX));
}

export function forget(storage: Storage, code: string): void {
  write(storage, MINE, mine(storage).filter((e) => e.code !== code));
}
