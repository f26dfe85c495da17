'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { CitizenServicesV1 } from '@/lib/contracts/citizen';
import type { Point } from './PickMap';
import s from './m.module.css';

const PickMap = dynamic(() => import('./PickMap'), { ssr: false, loading: () => <div className={s.map}><div className={s.mapHint}>地图加载中…</div></div> });

export type Place = { location: Point | null; address: string; villageCode: string };
export const NO_PLACE: Place = { location: null, address: '', villageCode: '' };

/** The contract's `where`: whichever the resident gave (one is enough; the server checks that one is there). */
export function placeBody(p: Place): { location?: Point; address?: string; villageCode?: string } {
  return {
    ...(p.location ? { location: { lon: Number(p.location.lon.toFixed(6)), lat: Number(p.location.lat.toFixed(6)) } } : {}),
    ...(p.address.trim() ? { address: p.address.trim() } : {}),
    ...(p.villageCode ? { villageCode: p.villageCode } : {}),
  };
}

/**
 * Where: a point tapped on the map (or the phone's position), or an address, or the village picked
 * from its town. Three ways because a resident indoors, without GPS, or unsure of maps still knows
 * their village.
 */
export default function PlaceField({ value, onChange, towns, error }: {
  value: Place;
  onChange: (p: Place) => void;
  towns: CitizenServicesV1['towns'] | undefined;
  error: string | undefined;
}) {
  const [showMap, setShowMap] = useState(false);
  const [geo, setGeo] = useState<string | null>(null);
  const [town, setTown] = useState('');
  const villages = towns?.find((t) => t.code === town)?.villages ?? [];

  function locate() {
    if (!('geolocation' in navigator) || !window.isSecureContext) return setGeo('此浏览器无法定位，请在地图上选点或填写地址');
    setGeo('定位中…');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setGeo(null);
        onChange({ ...value, location: { lon: pos.coords.longitude, lat: pos.coords.latitude } });
      },
      () => setGeo('无法获取位置，请在地图上选点或填写地址'),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 },
    );
  }

  return (
    <fieldset className={s.field} style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className={`${s.label} ${s.required}`}>问题位置</legend>
      <p className={s.hint}>在地图上选点、使用当前位置、填写地址或选择村社，任选其一。</p>
      <div className={s.row}>
        <button type="button" className={s.btn} onClick={() => setShowMap((v) => !v)} data-testid="m-map-open" aria-expanded={showMap}>
          {showMap ? '收起地图' : '在地图上选点'}
        </button>
        <button type="button" className={s.btn} onClick={locate} data-testid="m-locate">
          使用当前位置
        </button>
      </div>
      {geo && <p className={s.hint}>{geo}</p>}
      {showMap && <PickMap value={value.location} onPick={(location) => onChange({ ...value, location })} />}
      {value.location && (
        <p className={s.hint} data-testid="m-located">
          已选位置 {value.location.lat.toFixed(5)}, {value.location.lon.toFixed(5)}{' '}
          <button type="button" className={s.link} onClick={() => onChange({ ...value, location: null })}>
            清除
          </button>
        </p>
      )}
      <input
        className={s.input}
        value={value.address}
        onChange={(e) => onChange({ ...value, address: e.target.value })}
        placeholder="详细地址（如：××村××组××号旁）"
        maxLength={300}
        aria-label="详细地址"
        data-testid="m-address"
      />
      <div className={s.row}>
        <select className={s.select} value={town} onChange={(e) => { setTown(e.target.value); onChange({ ...value, villageCode: '' }); }} aria-label="镇（街道）" data-testid="m-town">
          <option value="">{towns ? '选择镇（街道）' : '列表加载中…'}</option>
          {towns?.map((t) => (
            <option key={t.code} value={t.code}>{t.name}</option>
          ))}
        </select>
        <select className={s.select} value={value.villageCode} onChange={(e) => onChange({ ...value, villageCode: e.target.value })} disabled={!town} aria-label="村（社区）" data-testid="m-village">
          <option value="">选择村（社区）</option>
          {villages.map((v) => (
            <option key={v.code} value={v.code}>{v.name}</option>
          ))}
        </select>
      </div>
      {error && <p className={s.fieldError} data-testid="m-error-location">{error}</p>}
    </fieldset>
  );
}
