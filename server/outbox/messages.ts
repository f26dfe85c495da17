import { COMMAND_CHANNEL } from '@/lib/contracts/command';
import { NOTICES_CHANNEL, type NoticeV1 } from '@/lib/contracts/events';
import { CHANNELS, type IncidentV1 } from '@/lib/contracts/live';
import { WARNING_CHANNEL } from '@/lib/contracts/warnings';
import { consultationMessages } from '../command/consult-read';
import { dispatchMessages } from '../command/dispatch-read';
import type { Tx } from '../db/pool';
import { isoSql } from '../db/sql';
import { incidentRows } from '../events/live';
import { warningsById } from '../warnings/read';
import type { OutboxKind } from './outbox';

export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  ref: number;
}

export interface Outgoing {
  channel: string;
  payload: string;
}

async function notices(tx: Tx, ids: readonly number[]): Promise<NoticeV1[]> {
  if (!ids.length) return [];
  const { rows } = await tx.query<NoticeV1>(
    `SELECT id, account_id AS "accountId", kind, event_id AS "eventId", title, body, ${isoSql('created_at')} AS "createdAt"
       FROM notifications WHERE id = ANY($1::bigint[])`,
    [ids],
  );
  return rows;
}

/**
 * The messages for a batch of outbox rows, in the rows' order, each sent once: a row names what
 * changed, and the message carries its state now, so several changes to one event in the batch
 * become one message with the latest. Something since deleted (or an event without a point, which
 * the wall cannot place) sends nothing.
 */
export async function messagesFor(tx: Tx, rows: readonly OutboxRow[]): Promise<Outgoing[]> {
  const order: { kind: OutboxKind; ref: number }[] = [];
  const refs: Record<OutboxKind, number[]> = { incident: [], dispatch: [], consultation: [], notice: [], warning: [] };
  for (const r of rows) {
    if (refs[r.kind].includes(r.ref)) continue;
    refs[r.kind].push(r.ref);
    order.push(r);
  }
  // One connection runs one query at a time: in turn.
  const incidents = await incidentRows(tx, refs.incident);
  const dispatches = await dispatchMessages(tx, refs.dispatch);
  const consultations = await consultationMessages(tx, refs.consultation);
  const notes = await notices(tx, refs.notice);
  const warnings = await warningsById(tx, refs.warning);
  // Numbers are taken after the states were read: a snapshot that saw a number saw that state (events/live.ts).
  const { rows: seqs } = await tx.query<{ s: number }>(`SELECT nextval('incident_seq') AS s FROM generate_series(1, $1)`, [incidents.length]);
  const numbers = seqs.map((r) => r.s).sort((a, b) => a - b);
  const incidentById = new Map(incidents.map((i) => [i.id, i]));
  const dispatchById = new Map(dispatches.map((m) => [m.type === 'dispatch' ? m.dispatch.id : 0, m]));
  const consultationById = new Map(consultations.map((m) => [m.type === 'consultation' ? m.consultation.id : 0, m]));
  const noticeById = new Map(notes.map((n) => [n.id, n]));
  const warningById = new Map(warnings.map((w) => [w.id, w]));

  const out: Outgoing[] = [];
  let next = 0;
  for (const { kind, ref } of order) {
    if (kind === 'incident') {
      const row = incidentById.get(ref);
      if (!row) continue;
      const incident: IncidentV1 = { v: 1, seq: numbers[next++], ...row };
      out.push({ channel: CHANNELS.incidents, payload: JSON.stringify(incident) });
    } else if (kind === 'warning') {
      // A warning as it now stands (WarningV1), to the wall and the console (issue 13).
      const warning = warningById.get(ref);
      if (warning) out.push({ channel: WARNING_CHANNEL, payload: JSON.stringify(warning) });
    } else {
      const message = kind === 'dispatch' ? dispatchById.get(ref) : kind === 'consultation' ? consultationById.get(ref) : noticeById.get(ref);
      if (message) out.push({ channel: kind === 'notice' ? NOTICES_CHANNEL : COMMAND_CHANNEL, payload: JSON.stringify(message) });
    }
  }
  return out;
}
