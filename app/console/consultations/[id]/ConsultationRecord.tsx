'use client';

import { useEffect, useState } from 'react';
import Link from 'next/link';
import { CONSULTATION_KIND_LABEL, INVITE_RESPONSE_LABEL, type ConsultationV1 } from '@/lib/contracts/command';
import { getJson } from '../../api';
import { fullTime } from '../../meetings/format';
import { roleLabel, SPAWN_LABEL, STATE_LABEL } from '../../meetings/labels';
import styles from './record.module.css';

type Loaded = { consultation: ConsultationV1 } | { error: string };

export default function ConsultationRecord({ id }: { id: string }) {
  const valid = /^[1-9]\d{0,15}$/.test(id);
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    if (!valid) return;
    const ctl = new AbortController();
    getJson<ConsultationV1>(`/api/v1/consultations/${id}`, ctl.signal).then(
      (r) => setLoaded(r.ok ? { consultation: r.body } : { error: r.status === 404 ? `会商 ${id} 不存在` : r.message }),
      () => {},
    );
    return () => ctl.abort();
  }, [id, valid]);

  return (
    <main className={styles.page}>
      <div className={`${styles.toolbar} ${styles.noPrint}`}>
        <Link href="/console/meetings">‹ 会商与联查</Link>
        <Link href="/console">指挥台</Link>
        <span className={styles.spacer} />
        <button type="button" className={styles.button} data-testid="record-print" disabled={!loaded || 'error' in loaded} onClick={() => window.print()}>
          打印
        </button>
      </div>
      {!valid ? (
        <p className={styles.error} role="alert">会商编号无效</p>
      ) : !loaded ? (
        <p className={styles.loading}>加载中…</p>
      ) : 'error' in loaded ? (
        <p className={styles.error} role="alert">加载失败：{loaded.error}</p>
      ) : (
        <Record c={loaded.consultation} />
      )}
    </main>
  );
}

function Record({ c }: { c: ConsultationV1 }) {
  return (
    <article className={styles.sheet} data-testid="consultation-record" data-state={c.state}>
      <p className={styles.kicker}>社会治理联动工作站 · {CONSULTATION_KIND_LABEL[c.kind]}纪要</p>
      <h1 className={styles.title}>{c.title}</h1>
      {c.state !== 'closed' && (
        <p className={styles.pending} data-testid="record-pending">
          此会商{STATE_LABEL[c.state]}，纪要尚未定稿。
        </p>
      )}

      <dl className={styles.meta}>
        <div><dt>编号</dt><dd>{c.id}</dd></div>
        <div><dt>类型</dt><dd>{CONSULTATION_KIND_LABEL[c.kind]}</dd></div>
        <div><dt>状态</dt><dd>{STATE_LABEL[c.state]}</dd></div>
        <div><dt>召集人</dt><dd>{c.calledBy ?? '—'}</dd></div>
        {c.scheduledAt && <div><dt>计划时间</dt><dd>{fullTime(c.scheduledAt)}</dd></div>}
        <div><dt>开始时间</dt><dd data-testid="record-started">{fullTime(c.startedAt)}</dd></div>
        <div><dt>结束时间</dt><dd data-testid="record-ended">{fullTime(c.endedAt)}</dd></div>
      </dl>

      {c.events.length > 0 && (
        <section>
          <h2>关联事件</h2>
          <ul className={styles.list} data-testid="record-events">
            {c.events.map((e) => (
              <li key={e.id}>
                <Link href={`/console?event=${e.id}`}>#{e.id}</Link> {e.title}
              </li>
            ))}
          </ul>
        </section>
      )}

      {c.agenda.length > 0 && (
        <section>
          <h2>议题</h2>
          <ol className={styles.list}>
            {c.agenda.map((a, i) => (
              <li key={i}>
                {a.label}
                {a.eventId !== null && <span className={styles.muted}>（事件 #{a.eventId}）</span>}
              </li>
            ))}
          </ol>
        </section>
      )}

      <section>
        <h2>参会人员（{c.invitees.length}）</h2>
        {c.invitees.length === 0 ? (
          <p className={styles.muted}>无</p>
        ) : (
          <table className={styles.table} data-testid="record-invitees">
            <thead>
              <tr>
                <th>姓名</th>
                <th>职务</th>
                <th>邀请事由</th>
                <th>回复</th>
                <th>回复时间</th>
              </tr>
            </thead>
            <tbody>
              {c.invitees.map((i) => (
                <tr key={i.id}>
                  <td className={styles.nowrap}>{i.name}</td>
                  <td className={styles.nowrap}>{roleLabel(i.role)}</td>
                  <td>{i.reason}</td>
                  <td className={styles.nowrap}>{INVITE_RESPONSE_LABEL[i.response]}</td>
                  <td className={styles.nowrap}>{i.respondedAt ? fullTime(i.respondedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>会商决定（{c.decisions.length}）</h2>
        {c.decisions.length === 0 ? (
          <p className={styles.muted}>无</p>
        ) : (
          <table className={styles.table} data-testid="record-decisions">
            <thead>
              <tr>
                <th>序号</th>
                <th>决定事项</th>
                <th>责任人</th>
                <th>完成时限</th>
                <th>后续处置</th>
              </tr>
            </thead>
            <tbody>
              {c.decisions.map((d, n) => (
                <tr key={d.id}>
                  <td>{n + 1}</td>
                  <td className={styles.prewrap}>
                    {d.text}
                    <div className={styles.muted}>{d.createdBy || '—'} 记录于 {fullTime(d.createdAt)}</div>
                  </td>
                  <td className={styles.nowrap}>{d.owner}</td>
                  <td className={styles.nowrap}>{fullTime(d.dueAt)}</td>
                  <td>
                    {SPAWN_LABEL[d.spawn] ?? d.spawn}
                    {d.dispatchIds.length > 0 && <div className={styles.muted}>派遣单 {d.dispatchIds.map((x) => `#${x}`).join('、')}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>会议纪要</h2>
        <p className={styles.prewrap} data-testid="record-summary">{c.summary ?? '（未填写）'}</p>
      </section>
    </article>
  );
}
