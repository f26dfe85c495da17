'use client';

import { useState } from 'react';
import type { LiveIncident } from '@/app/live/incidents';
import { newRequestKey } from './actions';
import { postJson } from './api';
import { stateLabel } from './timeline';
import styles from './console.module.css';

/** At most this many incidents go into one consultation (the contract's limit). */
const MAX_EVENTS = 20;

/**
 * The open incidents inside a drawn area: each opens in the drawer (for its joint dispatch), and
 * one click calls an emergency consultation on all of them (S11), inviting the gridders of every
 * grid they are in.
 */
export default function AreaPanel({ incidents, onOpen, onClose }: { incidents: readonly LiveIncident[]; onOpen: (id: number) => void; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = incidents.slice(0, MAX_EVENTS).map((i) => i.id);

  async function consult() {
    setBusy(true);
    setProblem(null);
    const r = await postJson<{ id: number }>('/api/v1/consultations', { eventIds: ids, includeOnCall: false, requestKey: newRequestKey() });
    setBusy(false);
    if (!r.ok) return setProblem(r.message);
    onOpen(ids[0]);
  }

  return (
    <section className={styles.areaPanel} data-testid="area-panel" aria-label="区域内事件">
      <header>
        <b>区域内未结事件 {incidents.length} 件</b>
        <button type="button" onClick={onClose} aria-label="关闭">×</button>
      </header>
      <ul>
        {incidents.slice(0, 50).map((i) => (
          <li key={i.id}>
            <button type="button" className={styles.link} onClick={() => onOpen(i.id)}>#{i.id} {i.title}</button>
            <small>{stateLabel(i.state)}</small>
          </li>
        ))}
      </ul>
      {incidents.length > 0 && (
        <button type="button" className={styles.areaConsult} disabled={busy} onClick={() => void consult()} data-testid="area-consult">
          一键紧急会商（{ids.length} 件{incidents.length > MAX_EVENTS ? `，取最新 ${MAX_EVENTS} 件` : ''}）
        </button>
      )}
      {problem && <p className={styles.error} role="alert">{problem}</p>}
    </section>
  );
}
