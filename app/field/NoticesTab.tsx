'use client';

import { formatDateTime, formatWait } from './format';
import type { OutboxItem } from './outbox';
import type { Outbox, OutboxView } from './outboxRunner';
import type { StoredNotice } from './schemas';
import s from './field.module.css';

function OutboxRow({ item, now, outbox }: { item: OutboxItem; now: number; outbox: Outbox }) {
  const wait = item.nextAt - now;
  return (
    <div className={`${s.outboxItem} ${item.failed ? s.outboxFailed : ''}`} data-testid="outbox-item">
      <div className={s.noticeHead}>
        <span>{item.payload.summary}</span>
        <span className={s.stepTime}>{formatDateTime(item.createdAt)}</span>
      </div>
      <p className={s.hint}>
        {item.failed
          ? `未被受理：${item.failed.message}`
          : item.attempts === 0
            ? '等待发送'
            : `已尝试 ${item.attempts} 次（${item.lastError ?? '失败'}）${wait > 0 ? `，${formatWait(wait)}后重试` : '，正在重试'}`}
      </p>
      <div className={s.row}>
        <button type="button" className={s.btn} onClick={() => outbox.retry(item.id)}>
          {item.failed ? '再试一次' : '立即重试'}
        </button>
        <button type="button" className={`${s.btn} ${s.btnDanger}`} onClick={() => confirm('删除后不再发送，确定吗？') && outbox.discard(item.id)}>
          删除
        </button>
      </div>
    </div>
  );
}

/**
 * 通知: what waits to be sent (and why), then notices to this account, newest first. A notice
 * about an event opens it.
 */
export default function NoticesTab({
  notices,
  view,
  outbox,
  now,
  onOpen,
  onReadAll,
}: {
  notices: readonly StoredNotice[];
  view: OutboxView;
  outbox: Outbox;
  now: number;
  onOpen: (eventId: number) => void;
  onReadAll: () => void;
}) {
  return (
    <div className={s.page}>
      {view.notPersisted && (
        <div className={`${s.banner} ${s.bannerError}`}>本机存储已满：待发送内容只保存在当前页面，请勿关闭。</div>
      )}
      {view.items.length > 0 && (
        <section className={s.group} data-testid="outbox">
          <h2 className={s.groupTitle}>
            待发送<span className={s.groupCount}>{view.pending}</span>
          </h2>
          {view.items.map((i) => (
            <OutboxRow key={i.id} item={i} now={now} outbox={outbox} />
          ))}
          {view.pending > 0 && (
            <button type="button" className={s.btn} onClick={() => outbox.retryNow()}>
              全部立即重试
            </button>
          )}
        </section>
      )}
      <section className={s.group}>
        <div className={s.listHead}>
          <h2 className={s.groupTitle}>通知</h2>
          {notices.some((n) => !n.read) && (
            <button type="button" className={s.linkButton} onClick={onReadAll}>
              全部已读
            </button>
          )}
        </div>
        {notices.length === 0 && <p className={s.empty}>暂无通知</p>}
        {notices.map((n) => {
          const body = (
            <>
              <span className={s.noticeHead}>
                <span>{n.title}</span>
                <span className={s.stepTime}>{formatDateTime(n.at)}</span>
              </span>
              {n.body && <span className={s.hint}>{n.body}</span>}
            </>
          );
          const cls = `${s.notice} ${n.read ? '' : s.noticeUnread}`;
          const eventId = n.eventId;
          return eventId === null ? (
            <div key={n.key} className={cls} data-testid="notice">
              {body}
            </div>
          ) : (
            <button key={n.key} type="button" className={cls} data-testid="notice" onClick={() => onOpen(eventId)}>
              {body}
            </button>
          );
        })}
      </section>
    </div>
  );
}
