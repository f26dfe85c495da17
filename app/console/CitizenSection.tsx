'use client';

import { useState } from 'react';
import { formatCode, type EventContactV1 } from '@/lib/contracts/citizen';
import type { EventDetail } from '@/lib/contracts/events';
import { formatDateTime } from '@/app/live/time';
import { can, type Role } from '@/lib/roles';
import { postJson } from './api';
import { EVENT_KIND_LABEL, ratingOf } from './citizen';
import styles from './console.module.css';

type Props = { detail: EventDetail; role: Role | null; onSelect: (id: number) => void };

/**
 * A resident's request in the drawer (issue 14; S9, S14): its kind, the event a complaint is about,
 * the resident's rating. Name, phone, tracking code and PIN are never in the detail (the code is
 * enough to follow a request; review H3); a leader asks for them with a button, and the server
 * records every look.
 */
export default function CitizenSection({ detail, role, onSelect }: Props) {
  const rating = ratingOf(detail.log);
  if (!detail.reportedByCitizen && detail.aboutEventId === null && rating === null) return null;
  const mayReadContact = detail.reportedByCitizen && role !== null && can(role, 'readCitizenContacts');
  return (
    <section className={styles.citizen} aria-label="群众诉求" data-testid="citizen-section">
      <dl>
        <dt>类型</dt>
        <dd data-testid="citizen-kind">{EVENT_KIND_LABEL[detail.kind] ?? detail.kind}</dd>
        {detail.aboutEventId !== null && (
          <>
            <dt>投诉事件</dt>
            <dd>
              <button type="button" className={styles.link} onClick={() => onSelect(detail.aboutEventId!)} data-testid="citizen-about">
                #{detail.aboutEventId}
              </button>
            </dd>
          </>
        )}
        {rating && (
          <>
            <dt>群众评价</dt>
            <dd data-testid="citizen-rating" className={rating.dissatisfied ? styles.dissatisfied : undefined}>
              {rating.label}（{formatDateTime(Date.parse(rating.at))}）
              {rating.comment && <div>“{rating.comment}”</div>}
            </dd>
          </>
        )}
      </dl>
      {mayReadContact && <ContactButton eventId={detail.id} />}
    </section>
  );
}

function ContactButton({ eventId }: { eventId: number }) {
  const [contact, setContact] = useState<EventContactV1 | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function read() {
    setBusy(true);
    setError(null);
    const r = await postJson<EventContactV1>(`/api/v1/events/${eventId}/contact`, {});
    setBusy(false);
    if (r.ok) setContact(r.body);
    else setError(r.message);
  }

  if (contact)
    return (
      <dl data-testid="citizen-contact">
        <dt>姓名</dt>
        <dd>{contact.name ?? '未留姓名'}</dd>
        <dt>电话</dt>
        <dd>{contact.phone ?? '未留电话'}</dd>
        {contact.code && (
          <>
            <dt>查询码</dt>
            <dd data-testid="citizen-code">{formatCode(contact.code)}</dd>
          </>
        )}
        {contact.pin && (
          <>
            <dt>查询密码</dt>
            <dd>{contact.pin}</dd>
          </>
        )}
      </dl>
    );
  return (
    <div>
      <button type="button" disabled={busy} onClick={() => void read()} data-testid="citizen-contact-read">
        {busy ? '正在读取…' : '查看联系方式'}
      </button>
      <p className={styles.hint}>群众的姓名和电话默认不显示；每次查看都会记入审计日志。</p>
      {error && <p className={styles.error} role="alert">{error}</p>}
    </div>
  );
}
