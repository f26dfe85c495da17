'use client';

import { useState } from 'react';
import type { CommandView } from '@/app/live/command';
import { newRequestKey } from '../actions';
import { postJson } from '../api';
import styles from './command.module.css';

/**
 * Invitations to this desk's account (S11: the chief and the deputy chief are invited to every
 * emergency consultation of their station): a strip under the header until answered.
 */
export default function Invitations({ command, accountId, onOpen }: { command: CommandView; accountId: number | null; onOpen: (eventId: number) => void }) {
  const [busy, setBusy] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (accountId === null) return null;
  const mine = command.consultations.filter((c) => c.state === 'open' && c.invitees.some((i) => i.accountId === accountId && i.response === 'invited'));
  if (mine.length === 0) return null;

  async function reply(id: number, accept: boolean) {
    setBusy(id);
    setProblem(null);
    const r = await postJson(`/api/v1/consultations/${id}/reply`, { accept, requestKey: newRequestKey() });
    setBusy(null);
    if (!r.ok) setProblem(r.message);
  }

  return (
    <div className={styles.invitations} role="alert" data-testid="console-invitations">
      {mine.map((c) => (
        <div key={c.id} className={styles.invitation} data-testid={`invitation-${c.id}`}>
          <span>{c.calledBy ?? '—'} 召集 <b>{c.title}</b></span>
          {c.events[0] && <button type="button" onClick={() => onOpen(c.events[0].id)}>查看事件</button>}
          <button type="button" className={styles.primary} disabled={busy === c.id} onClick={() => void reply(c.id, true)} data-testid="invitation-accept">接受</button>
          <button type="button" disabled={busy === c.id} onClick={() => void reply(c.id, false)}>谢绝</button>
        </div>
      ))}
      {problem && <p className={styles.error}>{problem}</p>}
    </div>
  );
}
