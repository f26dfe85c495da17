'use client';

import { useEffect, useEffectEvent, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import { z } from 'zod';
import { Me } from '@/lib/contracts/auth';
import { http } from '@/app/http';
import { CommandFeed } from './commandFeed';
import { audioState, ring, unlockAudioOnTouch } from './ring';
import Takeover from './Takeover';
import JoinedConsultations from './JoinedConsultations';
import { load } from './api';
import NoticesTab from './NoticesTab';
import OwedTab from './OwedTab';
import PointsTab from './PointsTab';
import MediationTab from './MediationTab';
import { RESPONSIBLE_GRID_ROLES } from '@/lib/roles';
import { NoticeBook } from './notices';
import { Outbox } from './outboxRunner';
import ReportForm from './ReportForm';
import { sendItem } from './send';
import TaskDetail from './TaskDetail';
import { TaskFeed } from './taskFeed';
import TaskList from './TaskList';
import { actionableCount, GROUP_LABEL, groupOf, groupTasks } from './tasks';
import { useFieldSocket, type SocketState } from './useFieldSocket';
import DutyBar from './DutyBar';
import { useTracker } from './useTracker';
import s from './field.module.css';

declare global {
  interface Window {
    /** For e2e tests: `ready` once the live line is up and the first task list has loaded. */
    __field?: { ready: boolean; connected: boolean; pending: number; rings: number; audio: string | null };
  }
}

type Tab = 'tasks' | 'report' | 'owed' | 'points' | 'notices';

const ME_RETRY_MS = 3000;
const TOAST_MS = 3500;
/** Deadlines read "剩 3小时12分"; a minute's resolution is all they need. */
const CLOCK_MS = 30_000;

function taskFromUrl(): number | null {
  const id = Number(new URLSearchParams(window.location.search).get('task'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

const ICONS: Record<Tab, ReactNode> = {
  tasks: <path fill="currentColor" d="M4 5h2v2H4V5Zm4 0h12v2H8V5Zm-4 6h2v2H4v-2Zm4 0h12v2H8v-2Zm-4 6h2v2H4v-2Zm4 0h12v2H8v-2Z" />,
  report: <path fill="currentColor" d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm1 5h-2v4H7v2h4v4h2v-4h4v-2h-4V7Z" />,
  owed: <path fill="currentColor" d="M12 2a7 7 0 0 1 7 7c0 5-7 13-7 13S5 14 5 9a7 7 0 0 1 7-7Zm0 4.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5Z" />,
  points: <path fill="currentColor" d="m12 2 2.9 6.26 6.85.74-5.1 4.64 1.42 6.76L12 16.98 5.93 20.4l1.42-6.76L2.25 9l6.85-.74L12 2Z" />,
  notices: <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />,
};
const TAB_LABEL: Record<Tab, string> = { tasks: '我的任务', report: '上报', owed: '本月待访', points: '积分', notices: '通知' };
const LIVE_LABEL: Record<SocketState, string> = { connecting: '连接中', online: '实时', offline: '离线' };

/** Who is here decides everything else, so the shell waits for it; the network may take a few tries. */
export default function FieldApp() {
  const router = useRouter();
  const [me, setMe] = useState<Me | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = () =>
      void load('/api/v1/auth/me', Me).then((r) => {
        if (!live) return;
        if (r.ok) return setMe(r.data);
        if (r.status === 401) return router.replace('/login?next=%2Ffield');
        setProblem(r.message);
        timer = setTimeout(attempt, ME_RETRY_MS);
      });
    attempt();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [router]);

  if (!me) return <div className={s.loading}>{problem ? `连接中…（${problem}）` : '加载中…'}</div>;
  return <FieldShell me={me} />;
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

function FieldShell({ me }: { me: Me }) {
  const router = useRouter();
  // One account's queue, tasks and notices: a shared phone must not mix two people's work.
  const owner = `${me.stationId ?? 0}:${me.role}:${me.name}`;
  const [outbox] = useState(() => new Outbox(`liandong.field.outbox.v1:${owner}`, sendItem));
  const [feed] = useState(() => new TaskFeed(`liandong.field.tasks.v1:${owner}`));
  const [notices] = useState(() => new NoticeBook(`liandong.field.notices.v1:${owner}`));
  const outboxView = useSyncExternalStore(outbox.subscribe, outbox.getView, Outbox.getServerView);
  // 上岗 / 下岗 and the positions sent on duty (issue 12).
  const duty = useTracker(owner, outbox);
  const feedView = useSyncExternalStore(feed.subscribe, feed.getView, feed.getView);
  const noticeList = useSyncExternalStore(notices.subscribe, notices.getList, notices.getList);
  const now = useNow(CLOCK_MS);
  const [calls] = useState(() => new CommandFeed(me.accountId));
  const callView = useSyncExternalStore(calls.subscribe, calls.getView, calls.getView);
  const rings = useRef(0);

  const [tab, setTab] = useState<Tab>('tasks');
  const [openId, setOpenId] = useState<number | null>(taskFromUrl);
  const [nudge, setNudge] = useState(0);
  const [toast, setToast] = useState<string | null>(null);
  const toastTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  function showToast(text: string) {
    setToast(text);
    clearTimeout(toastTimer.current);
    toastTimer.current = setTimeout(() => setToast(null), TOAST_MS);
  }
  const showToastEvent = useEffectEvent(showToast);

  useEffect(() => {
    outbox.start();
    return () => outbox.stop();
  }, [outbox]);
  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);

  const socket = useFieldSocket(true, {
    // A change anywhere in the station may add to this list or take from it (a routing, a fix to
    // check); the server alone knows whose it is, so any change means a fresh list.
    onIncident: (i) => {
      feed.refreshSoon();
      if (i.id === openId) setNudge((n) => n + 1);
    },
    onNotice: (n) => {
      notices.add({ key: `n:${n.id}`, kind: n.kind, eventId: n.eventId, title: n.title, body: n.body, at: n.createdAt });
      showToast(n.title);
    },
    onCommand: (raw) => calls.push(raw),
    onLine: (line) => duty.tracker.setLine(line),
    onConnect: () => {
      duty.refresh();
      void feed.refresh();
      setNudge((n) => n + 1);
      void load('/api/v1/command/mine', z.unknown()).then((r) => {
        if (r.ok) calls.load(r.data);
      });
    },
  });

  // Something queued while out of signal got through: say so, with the number it got.
  useEffect(
    () =>
      outbox.onDelivered((item, outcome, first) => {
        feed.refreshSoon();
        const p = item.payload;
        if (first) return;
        const eventId = p.kind === 'report' ? (outcome.body as { id?: unknown }).id : p.kind === 'action' ? p.eventId : null;
        const id = typeof eventId === 'number' ? eventId : null;
        const title = p.kind === 'report' ? `上报已送达${id ? ` #${id}` : ''}` : `已提交：${p.summary.split(' · ')[0]}`;
        notices.add({ key: `sent:${item.id}`, kind: 'delivered', eventId: id, title, body: p.summary, at: new Date().toISOString() });
        showToastEvent(title);
      }),
    [outbox, feed, notices],
  );

  // New work between two loads becomes a notice: a department's routed problem, a fix to check.
  useEffect(
    () =>
      feed.onNew((tasks) => {
        for (const t of tasks) {
          const g = groupOf(t, me.role);
          if (g !== 'verify' && g !== 'todo') continue;
          const body = [`#${t.id}`, t.categoryLabel, t.villageName].filter(Boolean).join(' · ');
          notices.add({ key: `task:${t.id}:${g}`, kind: 'task', eventId: t.id, title: `${GROUP_LABEL[g]}：${t.title}`, body, at: new Date().toISOString() });
        }
      }),
    [feed, notices, me.role],
  );

  // A new dispatch or invitation rings (issue 5 §6).
  useEffect(() => unlockAudioOnTouch(), []);
  useEffect(() => {
    if (callView.fresh.length === 0) return;
    ring();
    rings.current += 1;
    window.__field = { ...window.__field!, rings: rings.current, audio: audioState() };
  }, [callView]);

  useEffect(() => {
    const onPop = () => setOpenId(taskFromUrl());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    const before = window.__field;
    window.__field = {
      ready: (before?.ready ?? false) || (socket === 'online' && feedView.loaded),
      connected: socket === 'online',
      pending: outboxView.pending,
      rings: rings.current,
      audio: audioState(),
    };
  }, [socket, feedView.loaded, outboxView.pending]);

  useEffect(() => () => clearTimeout(toastTimer.current), []);

  // The phone's back button closes a task as it would a page.
  function openTask(id: number) {
    window.history.pushState({ fieldTask: id }, '', `/field?task=${id}`);
    setOpenId(id);
  }
  function closeTask() {
    if ((window.history.state as { fieldTask?: unknown } | null)?.fieldTask) window.history.back();
    else {
      window.history.replaceState(null, '', '/field');
      setOpenId(null);
    }
  }

  function switchTab(next: Tab) {
    if (tab === 'notices' && next !== 'notices') notices.markAllRead();
    setTab(next);
  }

  async function logout() {
    if (outboxView.pending > 0 && !window.confirm(`还有 ${outboxView.pending} 条待发送，下次登录后继续发送。确定退出？`)) return;
    await http.post('/api/v1/auth/logout').catch(() => undefined);
    router.replace('/login');
  }

  const groups = useMemo(() => groupTasks(feedView.tasks ?? [], me.role), [feedView.tasks, me.role]);
  const queuedEvents = useMemo(
    () => new Set(outboxView.items.flatMap((i) => (i.payload.kind === 'action' ? [i.payload.eventId] : []))),
    [outboxView.items],
  );
  const unread = noticeList.filter((n) => !n.read).length;
  const badges: Record<Tab, number> = { tasks: actionableCount(groups), report: 0, owed: 0, points: 0, notices: unread };

  return (
    <div className={s.app}>
      <header className={s.header}>
        <div className={s.who}>
          <span className={s.whoName} data-testid="user-name">{me.name}</span>
          <span className={s.whoRole}>{me.roleLabel}</span>
        </div>
        {outboxView.pending > 0 && (
          <button type="button" className={s.pendingChip} onClick={() => switchTab('notices')} data-testid="outbox-pending">
            待发送 {outboxView.pending}
          </button>
        )}
        <span className={s.live} data-testid="live-state" data-state={socket}>
          <span className={`${s.dot} ${socket === 'online' ? s.dotOnline : socket === 'offline' ? s.dotOffline : ''}`} />
          {LIVE_LABEL[socket]}
        </span>
        <button type="button" className={s.logout} onClick={logout}>
          退出
        </button>
      </header>
      <DutyBar tracker={duty.tracker} view={duty.view} />

      <div className={s.panels}>
        <main className={s.main} hidden={tab !== 'tasks'} data-testid="panel-tasks">
          <JoinedConsultations list={callView.joined} />
          {me.role === 'mediator' && <MediationTab />}
          <TaskList groups={groups} view={feedView} now={now} queuedEvents={queuedEvents} onOpen={openTask} onRefresh={() => void feed.refresh()} />
        </main>
        <main className={s.main} hidden={tab !== 'report'} data-testid="panel-report">
          <ReportForm outbox={outbox} pending={outboxView.pending} onOpenTask={openTask} onReported={() => feed.refreshSoon()} />
        </main>
        <main className={s.main} hidden={tab !== 'owed'} data-testid="panel-owed">
          {tab === 'owed' && <OwedTab active />}
        </main>
        <main className={s.main} hidden={tab !== 'points'} data-testid="panel-points">
          {tab === 'points' && <PointsTab active />}
        </main>
        <main className={s.main} hidden={tab !== 'notices'} data-testid="panel-notices">
          <NoticesTab
            notices={noticeList}
            view={outboxView}
            outbox={outbox}
            now={now}
            onOpen={openTask}
            onReadAll={() => notices.markAllRead()}
          />
        </main>
      </div>

      <nav className={s.tabbar} aria-label="主导航">
        {(['tasks', 'report', 'owed', 'points', 'notices'] as const).filter((t) => t !== 'owed' || RESPONSIBLE_GRID_ROLES.includes(me.role)).map((t) => (
          <button
            key={t}
            type="button"
            className={`${s.tab} ${tab === t ? s.tabActive : ''}`}
            aria-current={tab === t ? 'page' : undefined}
            onClick={() => switchTab(t)}
            data-testid={`tab-${t}`}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              {ICONS[t]}
            </svg>
            {TAB_LABEL[t]}
            {badges[t] > 0 && <span className={s.badge}>{badges[t] > 99 ? '99+' : badges[t]}</span>}
          </button>
        ))}
      </nav>

      {openId !== null && (
        <TaskDetail
          key={openId}
          id={openId}
          summary={feedView.tasks?.find((t) => t.id === openId) ?? null}
          nudge={nudge}
          meName={me.name}
          outbox={outbox}
          queued={outboxView.items.filter((i) => i.payload.kind === 'action' && i.payload.eventId === openId)}
          now={now}
          onBack={closeTask}
          onChanged={() => feed.refreshSoon()}
          onToast={showToast}
        />
      )}
      <Takeover calls={callView.calls} outbox={outbox} onStep={(id, to) => calls.advance(id, to)} onAnswer={(id) => calls.answered(id)} />
      {toast && (
        <div className={s.toast} role="status" data-testid="toast">
          {toast}
        </div>
      )}
    </div>
  );
}
