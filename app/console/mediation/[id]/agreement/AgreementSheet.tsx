'use client';

import Link from 'next/link';
import { SIDE_LABEL, type AgreementDocV1 } from '@/lib/contracts/mediation';
import { useLoad } from '@/app/admin/useLoad';
import styles from './agreement.module.css';

/**
 * The layout of a 人民调解协议书 as committees print it: title and number, the parties with their
 * particulars, 纠纷主要事实、争议事项, 协议内容, 履行方式、时限, the parties' signatures (or
 * thumbprints), the mediator's, the committee's seal and the date. Three originals: one each party, one the committee.
 */
const PAGE = '@page { size: A4; margin: 20mm 18mm; } html, body { background: #fff; }';

export default function AgreementSheet({ id }: { id: string }) {
  const doc = useLoad<AgreementDocV1>(`/api/v1/mediation/cases/${encodeURIComponent(id)}/agreement`);
  if (doc.error) return <main className={styles.screen}><p className={styles.sheet} role="alert">{doc.error}</p></main>;
  if (!doc.data) return <main className={styles.screen}><p className={styles.sheet}>加载中…</p></main>;
  const d = doc.data;
  const applicants = d.parties.filter((p) => p.side === 'applicant');
  const respondents = d.parties.filter((p) => p.side === 'respondent');
  return (
    <main className={styles.screen}>
      <style>{PAGE}</style>
      <div className={styles.toolbar}>
        <button type="button" onClick={() => window.print()}>打印</button>
        <Link href={`/console/mediation/${encodeURIComponent(id)}`}>返回案件</Link>
      </div>
      <article className={styles.sheet} data-testid="agreement">
        <h1 className={styles.title}>人民调解协议书</h1>
        <p className={styles.number}>编号：{d.number}</p>
        {[...applicants, ...respondents].map((p, i) => (
          <p key={i} className={styles.party}>
            {SIDE_LABEL[p.side]}：{p.name}{p.idNumber ? `，身份证号：${p.idNumber}` : ''}{p.phone ? `，联系电话：${p.phone}` : ''}{p.address ? `，住址：${p.address}` : ''}
          </p>
        ))}
        <p className={styles.section}>纠纷主要事实、争议事项：</p>
        <p className={styles.body}>（{d.disputeKindLabel}）{d.facts}</p>
        <p className={styles.section}>经调解，自愿达成如下协议：</p>
        <p className={styles.body}>{d.terms}</p>
        {d.obligations && <><p className={styles.section}>各方义务：</p><p className={styles.body}>{d.obligations}</p></>}
        <p className={styles.section}>履行方式、时限：</p>
        <p className={styles.body}>{d.performance ?? '协议签订后按约定履行。'}</p>
        <p className={styles.note}>本协议一式三份，当事人、人民调解委员会各持一份。经人民调解委员会调解达成的调解协议具有法律约束力，当事人应当按照约定履行（《中华人民共和国人民调解法》第三十一条）。</p>
        <div className={styles.signs}>
          {[...applicants, ...respondents].map((p, i) => <p key={i}>{SIDE_LABEL[p.side]}（签名或按手印）：<span className={styles.line} /></p>)}
          <p>调解员（签名）：<span className={styles.line}>{'\u00a0'}</span></p>
        </div>
        <p className={styles.seal}>{d.committee}（印）</p>
        <p className={styles.seal}>{d.date}</p>
      </article>
    </main>
  );
}
