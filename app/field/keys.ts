/**
 * A fresh idempotency or request key (contract: 8–128 printable ASCII). randomUUID exists only in
 * secure contexts, and a station may serve the page over plain http on its LAN; getRandomValues
 * is there in both.
 */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
