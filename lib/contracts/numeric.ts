import { z } from 'zod';

/*
 * Numbers as the database keeps them. A contract that lets through a value its column refuses turns
 * one bad message into a failed statement (issue 11: one fix with speed 1e39 passed zod, and
 * PostgreSQL's refusal of it stopped the position history of every unit), so every number in a
 * contract is bounded by the column it lands in, and by what is physically sensible where the
 * column would take more.
 */

/** PostgreSQL `integer` (int4); zod's int() alone stops at 2^53. */
export const INT4_MAX = 2_147_483_647;

/** An `integer` column of any sign (a version, a sort key). */
export const Int4 = z.number().int().min(-INT4_MAX - 1).max(INT4_MAX);

/** An `integer` column that counts (people, metres, seconds). */
export const Count = z.number().int().nonnegative().max(INT4_MAX);

/** A `serial` id (stations, units, accounts, people, device tokens). */
export const SerialId = z.number().int().positive().max(INT4_MAX);

/**
 * A `bigserial` id (events, dispatches, consultations, notices). Beyond 2^53 a JS number no longer
 * names one row; the sequences are nowhere near it.
 */
export const BigId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
