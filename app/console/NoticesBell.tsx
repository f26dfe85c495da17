'use client';

import { useState } from 'react';
import { formatDateTime } from '@/app/live/time';
import { BellIcon } from './icons';
import type { Notices } from './useNotices';
import styles from './console.module.css';

const cardOf = (kind: string) => (kind.startsWith('red') ? 'red' : kind.startsWith('yellow') ? 'yellow' : 'none');

/** What a resident raised (issue 14; S14), named before the title so it reads apart from the cards. */
export const NOTICE_KIND_LABEL: Readonly<Record<string, string>> = {
  citizen_dissatisfied: '群众不满意',
  citizen_complaint: '群众投诉',
};

function KindTag({ kind }: { kind: string }) {
  const label = NOTICE_KIND_LABEL[kind];
  return label ? <span className={styles.citizenBadge} data-testid="notice-kind">{label}</span> : null;
}

/** The bell of supervision notices (S13): a count, a list to open, and a toast when one comes. */
export default function NoticesBell({ notices, onSelect }: { notices: Notices; onSelect: (eventId: number) => void }) {
  const [open, setOpen] = useState(false);
  const { list, unread, toast, markRead, dismissToast } = notices;

  const pick = (eventId: number | null) => {
    if (eventId !== null) onSelect(eventId);
    setOpen(false);
    dismissToast();
  };

  return (
    <div className={styles.bell}>
      <button
        type="button"
        aria-label={`督办通知${unread ? `，${unread} 条未读` : ''}`}
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          markRead();
        }}
        data-testid="notices-bell"
      >
        <BellIcon />{unread > 0 && <span className={styles.badge} data-testid="notices-unread">{unread}</span>}
      </button>
      {open && (
        <div className={styles.noticeList} data-testid="notices-list">
          {list.length === 0 ? (
            <p className={styles.muted}>暂无督办通知</p>
          ) : (
            <ul>
              {list.map((n) => (
                <li key={n.id}>
                  <button type="button" onClick={() => pick(n.eventId)} data-card={cardOf(n.kind)} data-read={n.read} data-kind={n.kind} data-testid="notice-item">
                    <b><KindTag kind={n.kind} /> {n.title}</b>
                    <span className={styles.muted}>{formatDateTime(Date.parse(n.createdAt))}{n.body ? ` · ${n.body}` : ''}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {toast && !open && (
        <div className={styles.toast} role="alert" data-card={cardOf(toast.kind)} data-testid="notice-toast">
          <button type="button" onClick={() => pick(toast.eventId)}>
            <b><KindTag kind={toast.kind} /> {toast.title}</b>
            {toast.body && <span>{toast.body}</span>}
          </button>
          <button type="button" aria-label="关闭通知" onClick={dismissToast}>×</button>
        </div>
      )}
    </div>
  );
}
