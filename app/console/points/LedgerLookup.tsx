'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import type { LedgerV1 } from '@/lib/contracts/points';
import { ENTRY_KIND_LABEL, entryKind, eventHref, signed } from '@/lib/points/view';
import { useLoad } from '@/app/admin/useLoad';
import { when } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';

type Subject = { kind: 'person'; id: number } | { kind: 'citizen'; code: string };
const pathOf = (s: Subject | null) => (s === null ? null : s.kind === 'person' ? `/api/v1/points/people/${s.id}` : `/api/v1/points/citizens/${encodeURIComponent(s.code)}`);

/** A person's ledger (picked on the leaderboard or by number), or a resident's by their request's code. */
export default function LedgerLookup({ personId, onPerson }: { personId: number | null; onPerson: (id: number) => void }) {
  const [citizen, setCitizen] = useState<string | null>(null);
  const subject: Subject | null = citizen !== null ? { kind: 'citizen', code: citizen } : personId !== null ? { kind: 'person', id: personId } : null;
  const [typedPerson, setTypedPerson] = useState(personId ? String(personId) : '');
  const [typedCode, setTypedCode] = useState('');
  const [problem, setProblem] = useState('');
  const ledger = useLoad<LedgerV1>(pathOf(subject));

  function byPerson(e: FormEvent) {
    e.preventDefault();
    const id = Number(typedPerson.trim());
    if (!Number.isInteger(id) || id <= 0) return setProblem('人员编号须为正整数');
    setProblem('');
    setCitizen(null);
    onPerson(id);
  }
  function byCode(e: FormEvent) {
    e.preventDefault();
    const c = typedCode.replace(/[\s-]/g, '').toUpperCase();
    if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(c)) return setProblem('查询码须为 10 位字母数字');
    setProblem('');
    setCitizen(c);
  }

  return (
    <>
      <div className={styles.form}>
        <form className={styles.actions} onSubmit={byPerson}>
          <label className={styles.field}><span>人员编号</span>
            <input className={styles.input} value={typedPerson} inputMode="numeric" onChange={(e) => setTypedPerson(e.target.value)} data-testid="ledger-person" />
          </label>
          <button type="submit" className={styles.button}>查看人员明细</button>
        </form>
        <form className={styles.actions} onSubmit={byCode}>
          <label className={styles.field}><span>群众查询码</span>
            <input className={styles.input} value={typedCode} maxLength={14} onChange={(e) => setTypedCode(e.target.value)} data-testid="ledger-code" />
          </label>
          <button type="submit" className={styles.button}>查看群众明细</button>
        </form>
        {problem && <p className={styles.formError} role="alert">{problem}</p>}
      </div>
      {subject === null ? <p className={styles.empty}>在排行中点选人员，或输入人员编号、群众查询码</p>
        : ledger.error ? <p className={styles.formError} role="alert">{ledger.error}</p>
        : !ledger.data ? <p className={styles.loading}>加载中…</p>
        : <LedgerTable ledger={ledger.data} />}
    </>
  );
}

function LedgerTable({ ledger }: { ledger: LedgerV1 }) {
  return (
    <div data-testid="ledger">
      <h3 className={styles.section}>
        {ledger.name ?? '群众'}{ledger.personId ? `（人员 ${ledger.personId}）` : ''} · 余额 <span data-testid="ledger-balance">{ledger.balance}</span> 分
      </h3>
      {ledger.entries.length === 0 ? <p className={styles.empty}>暂无积分记录</p> : (
        <table className={styles.table}>
          <thead><tr><th>时间</th><th>类型</th><th className={styles.num}>分值</th><th>细则</th><th>事由</th><th>事件</th></tr></thead>
          <tbody>
            {ledger.entries.map((e) => (
              <tr key={e.id} data-testid="ledger-entry" data-kind={entryKind(e)}>
                <td>{when(e.at)}</td>
                <td>{ENTRY_KIND_LABEL[entryKind(e)]}</td>
                <td className={styles.num}>{signed(e.points)}</td>
                <td>{e.ruleLabel ?? '—'}</td>
                <td>{e.reason}</td>
                <td>{e.eventId ? <Link href={eventHref(e.eventId)}>#{e.eventId}</Link> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
