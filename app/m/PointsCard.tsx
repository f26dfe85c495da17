import type { CitizenPointsV1 } from '@/lib/contracts/points';
import { signed } from '@/lib/points/view';
import s from './m.module.css';

const when = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * 我的积分 on the tracking page (issue 15 point 5, S14: rewards for valid public tips): the points
 * of the phone this request was made with, earned when a report is verified and closed, redeemable
 * at the station. What the server sends has no phone number and no staff remarks.
 */
export default function PointsCard({ points }: { points: CitizenPointsV1 }) {
  return (
    <section className={s.card} data-testid="m-points">
      <h2>
        我的积分：<span data-testid="m-points-balance">{points.balance}</span> 分
      </h2>
      <p className={s.hint}>有效举报经核查办结后计分，可到所在联动工作站兑换。按提交诉求时留的电话累计。</p>
      <ol className={s.steps}>
        {points.entries.map((e, i) => (
          <li key={i} data-testid="m-points-entry">
            <strong>{signed(e.points)}</strong>
            <time dateTime={e.at}>{when(e.at)}</time>
            <span>{e.label}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
