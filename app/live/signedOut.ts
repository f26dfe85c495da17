import { http, HttpError } from '@/app/http';

/**
 * When the server ends a session (logout elsewhere, account disabled, role changed — issue 10) it
 * closes the session's sockets. The page then asks who it is; a 401 means the session is over,
 * and the page goes to the login screen instead of retrying forever with a dead cookie.
 */
export async function leaveIfSignedOut(): Promise<boolean> {
  try {
    await http.get('/api/v1/auth/me');
    return false;
  } catch (error) {
    // Offline or any other answer: the outbox keeps working; the check runs again at the next refusal.
    if (!(error instanceof HttpError) || error.status !== 401) return false;
  }
  const here = window.location.pathname + window.location.search;
  // A full load, not a client-side push: nothing of the ended session's state may stay in memory.
  const to = new URL('/login', window.location.origin);
  to.search = new URLSearchParams({ ended: '1', next: here }).toString();
  window.location.assign(to);
  return true;
}

/** A socket closed by the server, or refused by its guard, may mean the session ended. */
export function isRefusal(reasonOrError: string | Error | undefined): boolean {
  const r = typeof reasonOrError === 'string' ? reasonOrError : reasonOrError?.message;
  return r === 'io server disconnect' || r === 'unauthorized';
}
