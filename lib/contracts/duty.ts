import { z } from 'zod';
import { IdempotencyKey } from './events';

/**
 * 上岗 / 下岗 (issue 12): a unit's time on duty, in which its trace counts as patrol. 'field' is the
 * phone's button; 'device' a tracker's fixes; 'sim' the demo simulator.
 */
export const DUTY_SOURCES = ['field', 'device', 'sim'] as const;
export const DutySource = z.enum(DUTY_SOURCES);
export type DutySource = z.infer<typeof DutySource>;

/** The phone's button. A retry with the same requestKey answers the state and changes nothing. */
export const DutyInput = z.object({ onDuty: z.boolean(), requestKey: IdempotencyKey }).strict();
export type DutyInput = z.infer<typeof DutyInput>;

/** What the phone shows: its account's unit (null: nothing to report), and whether it is on duty since when. */
export const DutyState = z.object({
  unit: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
  onDuty: z.boolean(),
  since: z.string().nullable(),
  source: DutySource.nullable(),
});
export type DutyState = z.infer<typeof DutyState>;
