import Link from 'next/link';
import Shell from './Shell';
import Mine from './Mine';
import s from './m.module.css';

export const metadata = { title: '联动·群众服务' };

const TILES = [
  { href: '/m/report', label: '我要反映问题', sub: '拍照、定位，随时上报', icon: 'M4 5h16v11H8l-4 4V5Zm7 2v5h2V7h-2Zm0 6v2h2v-2h-2Z', id: 'report' },
  { href: '/m/mediation', label: '申请调解', sub: '邻里、家庭、劳资等纠纷', icon: 'M7 11a3 3 0 1 1 0-6 3 3 0 0 1 0 6Zm10 0a3 3 0 1 1 0-6 3 3 0 0 1 0 6ZM2 19c0-3 2.5-5 5-5s5 2 5 5H2Zm10 0c0-3 2.5-5 5-5s5 2 5 5H12Z', id: 'mediation' },
  { href: '/m/question', label: '政策咨询', sub: '一个工作日内答复', icon: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm1.6-6.2-.9.9c-.6.6-.7 1-.7 1.8h-2v-.5c0-1 .4-1.8 1-2.4l1.2-1.2a1.6 1.6 0 1 0-2.8-1.1H8.5a3.5 3.5 0 1 1 6.1 2.5Z', id: 'question' },
  { href: '/m/feedback', label: '投诉建议', sub: '对办理结果不满意也可投诉', icon: 'M3 4h18v12H7l-4 4V4Zm4 4v2h10V8H7Zm0 4v2h7v-2H7Z', id: 'feedback' },
] as const;

/** The residents' home: four big buttons, the way to follow a request, and this phone's own requests. Public, no login. */
export default function ResidentHome() {
  return (
    <Shell title="联动·群众服务" back={false}>
      <nav className={s.tiles} aria-label="办事">
        {TILES.map((t) => (
          <Link key={t.href} href={t.href} className={s.tile} data-testid={`m-tile-${t.id}`}>
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path fill="currentColor" d={t.icon} />
            </svg>
            {t.label}
            <small>{t.sub}</small>
          </Link>
        ))}
      </nav>
      <Link href="/m/track" className={`${s.btn} ${s.primary}`} data-testid="m-track">
        查询办理进度
      </Link>
      <Mine />
      <p className={s.hint}>
        您留下的姓名和电话只用于工作站与您联系，不会公开。紧急情况请直接拨打 110、119、120。
      </p>
      <Link href="/m/published" className={s.link}>
        已办结问题公开地图
      </Link>
    </Shell>
  );
}
