'use client';

import Link from 'next/link';
import { useState } from 'react';
import { HttpError } from '@/app/http';
import { api } from '@/app/admin/api';
import { useLoad } from '@/app/admin/useLoad';
import admin from '@/app/admin/admin.module.css';
import { CATEGORY_LABEL } from '@/lib/categories';
import { EVENT_STATE_LABEL, type EventState } from '@/lib/events/machine';
import { WARNING_LEVEL_LABEL, WARNING_STATE_LABEL, type WarningDetailV1, type WarningV1 } from '@/lib/contracts/warnings';
import { kindLabel, levelCss, numberLine, shanghaiTime } from '@/app/wall/warningLook';
import styles from './warnings.module.css';

type Action = 'acknowledge' | 'consultation' | 'inspection';

type Props = {
  warning: WarningV1;
  /** May acknowledge and convert (lib/roles.ts actOnWarnings). */
  mayAct: boolean;
  /** The server's answer to an action: the warning as it now stands. */
  onChanged: (answer: unknown) => void;
};

const ACTION_LABEL: Record<Action, string> = { acknowledge: '签收', consultation: '转会商议题', inspection: '转联合巡查' };

/** One warning: its numbers, its events (each opens in the console), and what the deputy chief does with it. */
export default function WarningDetail({ warning: w, mayAct, onChanged }: Props) {
  const detail = useLoad<WarningDetailV1>(`/api/v1/warnings/${w.id}?v=${w.version}`);
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState('');
  // One key per intended action, kept across retries so a repeated click is the same request (idempotent).
  const [keys] = useState(() => new Map<string, string>());
  const keyOf = (a: Action) => {
    const k = `${w.id}:${a}`;
    if (!keys.has(k)) keys.set(k, `warn-${a}-${w.id}-${crypto.randomUUID()}`);
    return keys.get(k)!;
  };

  async function act(a: Action) {
    setBusy(a);
    setError('');
    try {
      const answer = a === 'acknowledge'
        ? await api.post(`/api/v1/warnings/${w.id}/acknowledge`, { requestKey: keyOf(a) })
        : await api.post(`/api/v1/warnings/${w.id}/convert`, { to: a, requestKey: keyOf(a) });
      keys.delete(`${w.id}:${a}`);
      onChanged(answer);
    } catch (err) {
      setError(err instanceof HttpError ? err.issues.map((i) => i.message).join('；') || err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  const numbers = Object.entries(w.numbers).filter(([, v]) => v !== null);
  return (
    <section className={styles.detail} data-testid="warning-detail" style={{ '--level': levelCss(w.level) } as React.CSSProperties}>
      <div className={styles.head}>
        <span className={styles.level}>{WARNING_LEVEL_LABEL[w.level]}预警</span>
        <span>{kindLabel(w)}</span>
        <span className={styles.state} data-testid="warning-state">{WARNING_STATE_LABEL[w.state]}</span>
      </div>
      <h2>{w.title}</h2>
      <p className={styles.explanation}>{w.explanation}</p>
      {numbers.length > 0 && (
        <p className={styles.numbers}>{numbers.map(([k, v]) => {
          const [label, shown] = numberLine(k, v!);
          return <span key={k} title={k}>{label} <b>{shown}</b></span>;
        })}</p>
      )}
      <p className={styles.time}>
        {shanghaiTime(w.raisedAt)} 发出 · {shanghaiTime(w.updatedAt)} 更新
        {w.acknowledgedAt && ` · ${w.acknowledgedBy ?? ''} ${shanghaiTime(w.acknowledgedAt)} 签收`}
      </p>

      <div className={styles.actions}>
        {w.convertedTo ? (
          <span className={styles.result} data-testid="warning-converted">
            {w.convertedTo.kind === 'consultation'
              ? <>已转为会商议题：<Link href={`/console/consultations/${w.convertedTo.id}`}>查看会商 #{w.convertedTo.id}</Link></>
              : <>已转为联合巡查：<Link href="/console/meetings">巡查任务 #{w.convertedTo.id}</Link></>}
          </span>
        ) : mayAct && (w.state === 'open' || w.state === 'acknowledged') ? (
          <>
            {w.state === 'open' && (
              <button type="button" className={`${admin.button} ${admin.primary}`} disabled={busy !== null} onClick={() => void act('acknowledge')}>
                {busy === 'acknowledge' ? '签收中…' : ACTION_LABEL.acknowledge}
              </button>
            )}
            {w.state === 'acknowledged' && (['consultation', 'inspection'] as const).map((a) => (
              <button key={a} type="button" className={admin.button} disabled={busy !== null} onClick={() => void act(a)}>
                {busy === a ? '提交中…' : ACTION_LABEL[a]}
              </button>
            ))}
          </>
        ) : null}
        {error && <span className={admin.formError} role="alert">{error}</span>}
      </div>

      <h3>依据的事件（{w.eventIds.length} 起）</h3>
      {detail.error && <p className={admin.formError}>{detail.error}</p>}
      {detail.data && (
        <div className={styles.events}>
          <table className={admin.table}>
            <thead><tr><th>编号</th><th>标题</th><th>类别</th><th>状态</th><th>上报时间</th></tr></thead>
            <tbody>
              {detail.data.events.map((e) => (
                <tr key={e.id}>
                  <td><Link href={`/console?event=${e.id}`} data-testid={`warning-event-${e.id}`}>#{e.id}</Link></td>
                  <td>{e.title}</td>
                  <td>{CATEGORY_LABEL[e.category] ?? e.category}</td>
                  <td>{EVENT_STATE_LABEL[e.state as EventState] ?? e.state}</td>
                  <td>{shanghaiTime(e.reportedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {detail.data.events.length < w.eventIds.length && <p className={styles.time}>其余事件不在您的可见范围内。</p>}
        </div>
      )}
    </section>
  );
}
