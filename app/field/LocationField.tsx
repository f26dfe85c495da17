'use client';

import { useMemo, useState } from 'react';
import type { ReportDraft } from './report';
import { RegionNames } from './schemas';
import { useCachedLoad } from './useCachedLoad';
import s from './field.module.css';

type Located = NonNullable<ReportDraft['location']>;

const GEO_ERROR: Record<number, string> = {
  1: '定位权限被拒绝',
  2: '暂时无法获取位置',
  3: '定位超时',
};

/** Towns with their villages, in code order, for a grouped select. */
function useVillageOptions(enabled: boolean) {
  const villages = useCachedLoad('liandong.field.villages.v1', enabled ? '/api/v1/regions?level=village' : null, RegionNames);
  const towns = useCachedLoad('liandong.field.towns.v1', enabled ? '/api/v1/regions?level=town' : null, RegionNames);
  const groups = useMemo(() => {
    if (!villages.data) return null;
    const townName = new Map(towns.data?.features.map((f) => [f.properties.code, f.properties.name]) ?? []);
    const byTown = new Map<string, { code: string; name: string }[]>();
    for (const { properties: v } of villages.data.features) {
      const key = v.parentCode ?? '';
      byTown.set(key, [...(byTown.get(key) ?? []), { code: v.code, name: v.name }]);
    }
    return [...byTown.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, list]) => ({ code, name: townName.get(code) ?? code, villages: list.sort((a, b) => a.code.localeCompare(b.code)) }));
  }, [villages.data, towns.data]);
  return { groups, error: villages.error, reload: villages.reload };
}

/**
 * Where the problem is. The phone's position first (the server finds the grid by it); when there
 * is no fix — indoors, permission refused, a page served over plain http — the village, which
 * places the event at the village (issue 4).
 */
export default function LocationField({
  location,
  villageCode,
  error,
  onLocation,
  onVillage,
}: {
  location: Located | null;
  villageCode: string;
  error: string | undefined;
  onLocation: (l: Located | null) => void;
  onVillage: (code: string) => void;
}) {
  const [locating, setLocating] = useState(false);
  const [geoError, setGeoError] = useState<string | null>(null);
  const [picker, setPicker] = useState(false);
  const villages = useVillageOptions(picker);

  function locate() {
    if (!('geolocation' in navigator)) {
      setGeoError('此设备不支持定位');
      return setPicker(true);
    }
    if (!window.isSecureContext) {
      setGeoError('当前连接不是 HTTPS，浏览器不允许定位');
      return setPicker(true);
    }
    setLocating(true);
    setGeoError(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        onLocation({ lon: pos.coords.longitude, lat: pos.coords.latitude, accuracy: Number.isFinite(pos.coords.accuracy) ? pos.coords.accuracy : null });
      },
      (err) => {
        setLocating(false);
        setGeoError(GEO_ERROR[err.code] ?? '定位失败');
        setPicker(true);
      },
      // A fix half a minute old is still the same street; asking again means "not that one".
      // Waiting longer than 20 s helps nobody: the village is the way on.
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: location ? 0 : 30_000 },
    );
  }

  return (
    <div className={s.field}>
      <span className={`${s.label} ${s.required}`}>位置</span>
      <div className={s.locateRow}>
        {location ? (
          <div className={s.located} data-testid="report-located">
            <span>
              已定位 {location.lat.toFixed(5)}, {location.lon.toFixed(5)}
              {location.accuracy !== null && ` ±${Math.round(location.accuracy)} 米`}
            </span>
            <button type="button" className={s.linkButton} onClick={() => onLocation(null)}>
              清除
            </button>
          </div>
        ) : null}
        <button type="button" className={`${s.btn} ${location ? '' : s.btnPrimary}`} onClick={locate} disabled={locating} data-testid="report-locate">
          {/* An icon, not an emoji: phones without a colour-emoji font would draw a box. */}
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" style={{ verticalAlign: '-4px', marginRight: 6 }}>
            <path fill="currentColor" d="M12 2a7 7 0 0 0-7 7c0 5.25 7 13 7 13s7-7.75 7-13a7 7 0 0 0-7-7Zm0 9.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5Z" />
          </svg>
          {locating ? '定位中…' : location ? '重新定位' : '使用我的位置'}
        </button>
        {geoError && <p className={s.hint}>{geoError}，请选择所在村社。</p>}
        {!location && !picker && (
          <button type="button" className={s.linkButton} onClick={() => setPicker(true)} data-testid="report-village-open">
            无法定位？选择村社
          </button>
        )}
        {!location && picker && (
          <>
            <select className={s.select} value={villageCode} onChange={(e) => onVillage(e.target.value)} data-testid="report-village" aria-label="所在村社">
              <option value="">{villages.groups ? '选择所在村社' : '村社列表加载中…'}</option>
              {villages.groups?.map((t) => (
                <optgroup key={t.code} label={t.name}>
                  {t.villages.map((v) => (
                    <option key={v.code} value={v.code}>
                      {v.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            {villages.error && !villages.groups && (
              <p className={s.fieldError}>
                村社列表加载失败（{villages.error}）
                <button type="button" className={s.linkButton} onClick={villages.reload}>
                  重试
                </button>
              </p>
            )}
          </>
        )}
      </div>
      {error && (
        <p className={s.fieldError} data-testid="error-location">
          {error}
        </p>
      )}
    </div>
  );
}
