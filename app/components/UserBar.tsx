'use client';

import { KPI_READERS } from '@/lib/analytics/kpis';
import { readsMediation } from '@/lib/mediation/access';
import { ASSESSMENT_READERS } from '@/lib/assessment/rules';
import { POINTS_DESK_ROLES } from '@/lib/points/access';
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { Me } from '@/lib/contracts/auth';
import { http, HttpError } from '@/app/http';

/** Who is logged in, and the way out. */
export default function UserBar() {
  const router = useRouter();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    http.get<Me>('/api/v1/auth/me').then(setMe, () => setMe(null));
  }, []);

  async function logout() {
    await http.post('/api/v1/auth/logout').catch((error: unknown) => {
      // Only a lost network keeps the user here; whatever the server answered, the way out is the login page.
      if (!(error instanceof HttpError) || error.status === 0) throw error;
    });
    router.replace('/login');
  }

  if (!me) return null;
  return (
    <div className="user-bar">
      <span data-testid="user-name">{me.name}</span>
      <span className="user-role">{me.roleLabel}</span>
      {me.role === 'admin' && <Link href="/admin">系统管理</Link>}
      {(me.role === 'admin' || me.role === 'district_leader' || me.role === 'district_operator') && <Link href="/audit">审计日志</Link>}
      {(me.role === 'station_chief' || me.role === 'deputy_chief') && <Link href="/console/meetings">会商与联查</Link>}
      {(me.role === 'station_chief' || me.role === 'deputy_chief') && <Link href="/console/station">本站管理</Link>}
      {(me.role === 'station_chief' || me.role === 'deputy_chief' || me.role === 'admin') && <Link href="/console/registers">重点场所与人员</Link>}
      {(me.role === 'station_chief' || me.role === 'deputy_chief' || me.role === 'admin' || me.role === 'district_leader' || me.role === 'district_operator') && <Link href="/console/coverage">巡查覆盖</Link>}
      {['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief'].includes(me.role) && <Link href="/console/warnings">风险预警</Link>}
      {['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief', 'dept_staff'].includes(me.role) && <Link href="/console/history">轨迹回放</Link>}
      {readsMediation(me.role) && me.role !== 'mediator' && <Link href="/console/mediation">矛盾调解</Link>}
      {ASSESSMENT_READERS.includes(me.role) && <Link href="/console/assessment">考评</Link>}
      {POINTS_DESK_ROLES.includes(me.role) && <Link href="/console/points">积分</Link>}
      {KPI_READERS.includes(me.role) && <Link href="/cockpit">领导驾驶舱</Link>}
      <button type="button" onClick={logout}>退出</button>
    </div>
  );
}
