import { createHash } from 'node:crypto';

/** Device tokens are long random strings, so a plain SHA-256 suffices to keep them out of the database. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
