'use client';

import { useMemo } from 'react';
import type { CommandView } from '@/app/live/command';
import { useSecond } from '@/app/map/command/useSecond';
import type { Reference } from '../useReference';
import ConsultationPanel from './ConsultationPanel';
import DispatchPanel from './DispatchPanel';
import { useProposal } from './useProposal';

/** The drawer's command part for the chief and the deputy chief: one-click consultation and joint dispatch. */
export default function CommandSection({ eventId, open, command, reference }: {
  eventId: number;
  /** The event is still open: nothing to dispatch to a closed one. */
  open: boolean;
  command: CommandView;
  reference: Reference;
}) {
  const dispatches = useMemo(() => command.dispatches.filter((d) => d.eventId === eventId), [command.dispatches, eventId]);
  const consultation = useMemo(() => command.consultations.find((c) => c.kind === 'emergency' && c.events.some((e) => e.id === eventId)) ?? null, [command.consultations, eventId]);
  // Any change of this event's dispatches changes who is available: propose again.
  const version = dispatches.map((d) => `${d.id}:${d.version}`).join(',');
  const { proposal, error } = useProposal(eventId, open, version);
  const now = useSecond(true);
  if (!open && dispatches.length === 0 && !consultation) return null;
  return (
    <>
      <ConsultationPanel eventId={eventId} consultation={consultation} proposal={proposal} reference={reference} now={now} />
      <DispatchPanel key={version} eventId={eventId} proposal={open ? proposal : null} error={error} dispatches={dispatches} now={now} />
    </>
  );
}
