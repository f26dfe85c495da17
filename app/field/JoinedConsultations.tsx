'use client';

import type { ConsultationV1 } from '@/lib/contracts/command';
import s from './takeover.module.css';

const due = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The consultations this phone has joined, with their decisions as they are recorded (S11). */
export default function JoinedConsultations({ list }: { list: readonly ConsultationV1[] }) {
  if (list.length === 0) return null;
  return (
    <section className={s.joined} aria-label="进行中的会商" data-testid="joined-consultations">
      {list.map((c) => (
        <article key={c.id} data-testid={`joined-${c.id}`}>
          <h3>{c.title}</h3>
          {c.decisions.length === 0 ? <p>会商进行中，尚无决定</p> : (
            <ol>
              {c.decisions.map((d) => (
                <li key={d.id}>{d.text}<small>{d.owner} · {due.format(new Date(d.dueAt))}前</small></li>
              ))}
            </ol>
          )}
        </article>
      ))}
    </section>
  );
}
