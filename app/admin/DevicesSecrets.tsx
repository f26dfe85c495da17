'use client';

import { useState } from 'react';
import type { Datum, IssuedSecret } from '@/lib/contracts/master';
import DeviceDatum, { DATUM_LABEL, DatumSelect } from './DeviceDatum';
import { api } from './api';
import IssueForm from './IssueForm';
import type { DeviceTokenRow, DisplayRow, UnitRow } from './masterTypes';
import SecretsTable from './SecretsTable';
import styles from './admin.module.css';

const GATEWAY = 'gateway';

/** Device tokens (one unit's, or a station gateway's) and wall screens of a station. */
export default function DevicesSecrets({ stationId, district, units, tokens, displays, reload }: {
  stationId: number;
  /** The administrator may also issue the district's own walls. */
  district: boolean;
  units: UnitRow[];
  tokens: DeviceTokenRow[];
  displays: DisplayRow[];
  reload: () => void;
}) {
  const unitCode = new Map(units.map((u) => [u.id, `${u.name}（${u.code}）`]));
  const [datum, setDatum] = useState<Datum>('wgs84');

  async function issueToken(name: string, choice: string): Promise<string> {
    const unitId = choice === GATEWAY ? null : Number(choice);
    const r = await api.post<IssuedSecret>('/api/v1/admin/device-tokens', { name, unitId, stationId: unitId === null ? stationId : null, datum });
    return r.secret;
  }

  async function issueDisplay(name: string, choice: string): Promise<string> {
    const r = await api.post<IssuedSecret & { url: string }>('/api/v1/admin/displays', { name, stationId: choice === 'district' ? null : stationId });
    // The full link, as it is opened on the screen.
    return new URL(r.url, window.location.origin).href;
  }

  return (
    <>
      <h3 className={styles.section}>设备令牌</h3>
      <p className={styles.hint}>定位设备用令牌上报位置：绑定一个单位，只能报这个单位；网关令牌可报本站任何单位（接入其他系统时用）。
        Traccar Client 等 OsmAnd 协议的应用与定位器，服务器地址填 <code>{'https://本站地址/api/v1/osmand?token=令牌'}</code>，设备标识填单位编码。
        设备用高德、腾讯或百度地图 SDK 取位置时，选对应坐标系，入库前换算为 WGS-84。</p>
      <DatumSelect value={datum} onChange={setDatum} />
      <IssueForm
        title="签发设备令牌"
        choice={{ label: '绑定', options: [...units.map((u) => ({ value: String(u.id), label: `单位 ${u.name}（${u.code}）` })), { value: GATEWAY, label: '本站网关（任何单位）' }] }}
        fields={['unitId', 'stationId']}
        issue={issueToken}
        onIssued={reload}
      />
      <SecretsTable label="设备令牌" rows={tokens} extra={{ title: '绑定 · 坐标系', value: (t) => `${t.unitId ? unitCode.get(t.unitId) ?? t.unitCode ?? '' : '本站网关'} · ${DATUM_LABEL[t.datum] ?? t.datum}` }} revokePath={(id) => `/api/v1/admin/device-tokens/${id}/revoke`} reload={reload} />

      <DeviceDatum tokens={tokens} reload={reload} />

      <h3 className={styles.section}>指挥大屏</h3>
      <p className={styles.hint}>大屏链接在屏幕上打开一次即登录为只读大屏；吊销后该屏一秒内退出。</p>
      <IssueForm
        title="签发大屏链接"
        choice={{ label: '范围', options: [{ value: 'station', label: '本站' }, ...(district ? [{ value: 'district', label: '全区' }] : [])] }}
        fields={['stationId']}
        issue={issueDisplay}
        onIssued={reload}
      />
      <SecretsTable label="大屏" rows={displays} extra={{ title: '范围', value: (d) => (d.stationId === null ? '全区' : '本站') }} revokePath={(id) => `/api/v1/admin/displays/${id}/revoke`} reload={reload} />
    </>
  );
}
