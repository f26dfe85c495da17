import type { Page } from '@playwright/test';

/** Every URL the page asks for, websockets included, so the air-gap rule can be checked. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('websocket', (ws) => urls.push(ws.url()));
  return urls;
}

/** The URLs that went to any host but the app's own. */
export function foreign(urls: string[], baseURL: string): string[] {
  const own = new URL(baseURL).host;
  return urls.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).host !== own);
}
