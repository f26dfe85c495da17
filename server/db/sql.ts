/** A timestamptz column as the ISO 8601 UTC text every contract carries ("…T…Z", milliseconds). */
import { DONE_STATES, HANDLED_STATES, type EventState } from '@/lib/events/machine';

const sqlList = (states: readonly EventState[]) => `(${states.map((s) => `'${s}'`).join(', ')})`;
/** `state NOT IN ${DONE_SQL}`: the events still open (lib/events/machine DONE_STATES). */
export const DONE_SQL = sqlList(DONE_STATES);
/** `state NOT IN ${HANDLED_SQL}`: the events whose handling deadline still runs. */
export const HANDLED_SQL = sqlList(HANDLED_STATES);

export const isoSql = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
