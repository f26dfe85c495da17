'use client';

import { Fragment, useState } from 'react';
import { PLACE_CATEGORY_LABEL, RISK_LEVEL_LABEL, type Place } from '@/lib/contracts/place';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';
import PlaceForm from './PlaceForm';
import ImportSheet from '@/app/admin/ImportSheet';
import { GridSelect, RemoveButton, type GridOption } from './shared';

type Open = undefined | 'new' | number;

/** Key places of the station (S3, S10), filtered by grid, category and risk. */
export default function PlacesTab({ grids, canEdit }: { grids: GridOption[]; canEdit: boolean }) {
  const [grid, setGrid] = useState('');
  const [category, setCategory] = useState('');
  const [risk, setRisk] = useState('');
  const query = new URLSearchParams(Object.entries({ grid, category, risk }).filter(([, v]) => v)).toString();
  const places = useLoad<Place[]>(`/api/v1/places${query ? `?${query}` : ''}`);
  const [open, setOpen] = useState<Open>(undefined);
  const gridName = new Map(grids.map((g) => [g.code, g.name]));
  const done = () => {
    setOpen(undefined);
    places.reload();
  };

  return (
    <>
      <div className={styles.yearBar}>
        <GridSelect grids={grids} value={grid} onChange={setGrid} />
        <select className={styles.select} aria-label="类别" value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">全部类别</option>
          {Object.entries(PLACE_CATEGORY_LABEL).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
        <select className={styles.select} aria-label="风险等级" value={risk} onChange={(e) => setRisk(e.target.value)}>
          <option value="">全部风险等级</option>
          {Object.entries(RISK_LEVEL_LABEL).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
      </div>
      {canEdit && (open === 'new' ? (
        <PlaceForm place={null} onDone={done} onCancel={() => setOpen(undefined)} />
      ) : (
        <>
          <p><button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => setOpen('new')}>登记重点场所</button></p>
          <ImportSheet kind="places" label="重点场所" onDone={places.reload} />
        </>
      ))}
      {places.error && <p className={styles.formError} role="alert">加载失败：{places.error}</p>}
      {places.data ? (
        <>
          <table className={styles.table} aria-label="重点场所">
            <thead><tr><th>名称</th><th>类别</th><th>风险</th><th>网格</th><th>地址</th><th>位置</th>{canEdit && <th />}</tr></thead>
            <tbody>
              {places.data.map((p) => (
                <Fragment key={p.id}>
                  <tr data-place={p.name}>
                    <td>{p.name}</td>
                    <td>{PLACE_CATEGORY_LABEL[p.category]}</td>
                    <td><span className={styles.badge} data-kind={p.riskLevel === 'major' || p.riskLevel === 'high' ? 'holiday' : undefined}>{RISK_LEVEL_LABEL[p.riskLevel]}</span></td>
                    <td>{gridName.get(p.gridCode) ?? p.gridCode}</td>
                    <td>{p.address ?? '—'}</td>
                    <td className={styles.code}>{p.lon.toFixed(5)}, {p.lat.toFixed(5)}{p.outline ? '（轮廓）' : ''}</td>
                    {canEdit && (
                      <td>
                        <div className={styles.actions}>
                          <button type="button" className={styles.button} onClick={() => setOpen(p.id)}>编辑</button>
                          <RemoveButton what={p.name} path={`/api/v1/places/${p.id}`} onDone={places.reload} />
                        </div>
                      </td>
                    )}
                  </tr>
                  {open === p.id && (
                    <tr><td colSpan={7}><PlaceForm place={p} onDone={done} onCancel={() => setOpen(undefined)} /></td></tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {places.data.length === 0 && <p className={styles.empty}>没有符合条件的重点场所。</p>}
        </>
      ) : (
        !places.error && <p className={styles.loading}>加载中…</p>
      )}
    </>
  );
}
