import { EventReportV1 } from '@/lib/contracts/events';

/** What the report form holds; the body is built from it only when sent. */
export interface ReportDraft {
  category: string;
  subcategory: string;
  title: string;
  description: string;
  /** From the phone's position; wins over the village, which is the fallback. */
  location: { lon: number; lat: number; accuracy: number | null } | null;
  villageCode: string;
}

export const EMPTY_DRAFT: ReportDraft = { category: '', subcategory: '', title: '', description: '', location: null, villageCode: '' };

/** An EventReportV1 without its photos (they are uploaded first and added by the outbox). */
export function buildReport(d: ReportDraft, idempotencyKey: string): Record<string, unknown> & { idempotencyKey: string } {
  return {
    v: 1,
    idempotencyKey,
    category: d.category,
    ...(d.subcategory ? { subcategory: d.subcategory } : {}),
    title: d.title.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    ...(d.location ? { location: { lon: d.location.lon, lat: d.location.lat } } : d.villageCode ? { villageCode: d.villageCode } : {}),
  };
}

export type ReportField = 'category' | 'subcategory' | 'title' | 'description' | 'location' | 'photos' | 'form';

/** The form field a server or contract issue belongs to: `body.title` → title; any place → location. */
export function fieldOf(path: string): ReportField {
  const first = path.replace(/^body\./, '').split('.')[0];
  if (first === 'category' || first === 'subcategory' || first === 'title' || first === 'description' || first === 'photos') return first;
  if (first === 'location' || first === 'villageCode' || first === 'address') return 'location';
  return 'form';
}

/** One message per field, the first one given. */
export function fieldErrors(issues: readonly { path: string; message: string }[]): Partial<Record<ReportField, string>> {
  const out: Partial<Record<ReportField, string>> = {};
  for (const i of issues) out[fieldOf(i.path)] ??= i.message;
  return out;
}

/**
 * The same contract the server checks, run on the phone first: a missing title or place is said at
 * once, also offline, instead of after a queued retry comes back refused.
 */
export function checkReport(body: Record<string, unknown>): { path: string; message: string }[] {
  const r = EventReportV1.safeParse({ ...body, photos: [] });
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.join('.'), message: friendly(i.path.join('.'), i.message) }));
}

/** The contract's messages are for integrators; a gridder needs to know which box to fill. */
function friendly(path: string, message: string): string {
  if (path === 'category') return '请选择事件类别';
  if (path === 'location') return '请定位，或选择所在村社';
  if (path === 'title' && /too_small|不能为空/.test(message)) return '标题不能为空';
  return message;
}
