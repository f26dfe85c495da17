import { z } from 'zod';
import { EventSummaryV1 } from '@/lib/contracts/events';

/** One row of GET /api/v1/events?scope=mine: the contract's, shared with the server. */
export const TaskSummary = EventSummaryV1;
export type TaskSummary = EventSummaryV1;
export const TaskList = z.array(TaskSummary);

/** GET /api/v1/categories. */
export const CategoryInfo = z.object({
  code: z.string(),
  label: z.string(),
  department: z.string().nullable(),
  severity: z.string(),
  subcategories: z.array(z.object({ code: z.string(), label: z.string() })),
});
export type CategoryInfo = z.infer<typeof CategoryInfo>;
export const CategoryList = z.array(CategoryInfo);

/** POST /api/v1/photos. */
export const PhotoReceipt = z.object({ id: z.string(), mime: z.string().optional(), bytes: z.number().optional() });

/** GET /api/v1/regions?level=village|town: only the names and codes; the picker draws no shapes. */
export const RegionNames = z.object({
  features: z.array(z.object({ properties: z.object({ code: z.string(), name: z.string(), parentCode: z.string().nullable() }) })),
});

/** A notice kept on the phone: from the server (NoticeV1) or raised by the page itself. */
export const StoredNotice = z.object({
  key: z.string(),
  kind: z.string(),
  eventId: z.number().int().positive().nullable(),
  title: z.string(),
  body: z.string().nullable(),
  at: z.string(),
  read: z.boolean(),
});
export type StoredNotice = z.infer<typeof StoredNotice>;

const PhotoRef = z.object({ local: z.string(), id: z.string().nullable() });

/** The outbox as kept in localStorage: checked on load, so a corrupt entry is dropped, not thrown on. */
export const StoredOutboxItem = z.object({
  id: z.string(),
  createdAt: z.number(),
  attempts: z.number(),
  nextAt: z.number(),
  lastError: z.string().nullable(),
  failed: z.object({ message: z.string(), status: z.number().nullable() }).nullable(),
  payload: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('report'),
      body: z.looseObject({ idempotencyKey: z.string() }),
      photos: z.array(PhotoRef),
      summary: z.string(),
    }),
    z.object({
      kind: z.literal('action'),
      eventId: z.number().int().positive(),
      body: z.looseObject({ action: z.string(), requestKey: z.string() }),
      photos: z.array(PhotoRef),
      summary: z.string(),
    }),
    z.object({
      kind: z.literal('command'),
      // Only our own command routes: a tampered store must not make the page POST elsewhere.
      url: z.string().regex(/^\/api\/v1\/(dispatches|consultations)\/\d+\/(steps|reply)$/),
      body: z.looseObject({ requestKey: z.string() }),
      photos: z.array(PhotoRef).max(0),
      summary: z.string(),
    }),
  ]),
});
