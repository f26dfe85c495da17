'use client';

import { useState, type FormEvent } from 'react';
import { api } from './api';
import { useSubmit } from './useSubmit';
import { Field, FieldError, FormActions } from './Field';
import { centroid } from './geometry';
import type { Collection, Feature, RegionProps, StationProps } from './masterTypes';
import { useLoad } from './useLoad';
import ImportSheet from './ImportSheet';
import styles from './admin.module.css';

type Station = StationProps & { lon: number; lat: number };
type Villages = Feature<RegionProps>[];

/** Stations and the villages they cover (S5; one village, one station): the administrator's. */
export default function StationsTab() {
  const stations = useLoad<Collection<StationProps>>('/api/v1/stations');
  const towns = useLoad<Collection<RegionProps>>('/api/v1/regions?level=town');
  const villages = useLoad<Collection<RegionProps>>('/api/v1/regions?level=village');
  /** `undefined`: no form open; `null`: a new station. */
  const [editing, setEditing] = useState<Station | null | undefined>(undefined);
  const error = stations.error || towns.error || villages.error;
  const list: Station[] = (stations.data?.features ?? []).map((f) => {
    const [lon, lat] = f.geometry.type === 'Point' ? f.geometry.coordinates : [0, 0];
    return { ...f.properties, lon, lat };
  });
  const townName = new Map((towns.data?.features ?? []).map((f) => [f.properties.code, f.properties.name]));

  if (error) return <p className={styles.formError} role="alert">加载失败：{error}</p>;
  if (!stations.data || !towns.data || !villages.data) return <p className={styles.loading}>加载中…</p>;
  if (towns.data.features.length === 0)
    return <p className={styles.empty}>尚未导入行政区划：请先按 README“Geography”一节依次导入区、镇（街道）、村（社区）和网格。</p>;

  const done = () => {
    setEditing(undefined);
    stations.reload();
  };
  return (
    <>
      <p className={styles.hint}>每个村（社区）只能由一个工作站覆盖；事件按发生地所在的村归属工作站。位置是工作站在大屏上的标注点。</p>
      {editing === undefined ? (
        <>
          <p>
            <button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => setEditing(null)}>新建工作站</button>
          </p>
          <ImportSheet kind="stations" label="工作站" onDone={stations.reload} />
        </>
      ) : (
        <StationForm key={editing?.id ?? 'new'} station={editing} towns={towns.data.features} villages={villages.data.features} stations={list} onDone={done} onCancel={() => setEditing(undefined)} />
      )}
      {list.length === 0 ? (
        <p className={styles.empty}>尚未建立工作站。</p>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr><th>编码</th><th>名称</th><th>镇（街道）</th><th>覆盖村（社区）</th><th>位置</th><th /></tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <td className={styles.code}>{s.code}</td>
                <td>{s.name}</td>
                <td>{townName.get(s.townCode) ?? s.townCode}</td>
                <td className={styles.num}>{s.villageCodes.length}</td>
                <td className={styles.code}>{s.lon.toFixed(5)}, {s.lat.toFixed(5)}</td>
                <td><button type="button" className={styles.button} onClick={() => setEditing(s)}>编辑</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const FIELDS = ['code', 'name', 'townCode', 'lon', 'lat', 'villageCodes'];

/** A coordinate box's value: a number when it reads as one, else the text, so the server names the mistake. */
const coordinate = (text: string) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

function StationForm({ station, towns, villages, stations, onDone, onCancel }: {
  station: Station | null;
  towns: Feature<RegionProps>[];
  villages: Villages;
  stations: Station[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState(station?.code ?? '');
  const [name, setName] = useState(station?.name ?? '');
  const [townCode, setTownCode] = useState(station?.townCode ?? '');
  const [lon, setLon] = useState(station ? String(station.lon) : '');
  const [lat, setLat] = useState(station ? String(station.lat) : '');
  const [chosen, setChosen] = useState<string[]>(station?.villageCodes ?? []);
  /** The list as last sent: the server names a village by its index in it. */
  const [sent, setSent] = useState<string[]>([]);
  const { errors, busy, run } = useSubmit();

  const inTown = villages.filter((v) => v.properties.parentCode === townCode);
  const owner = new Map(stations.filter((s) => s.id !== station?.id).flatMap((s) => s.villageCodes.map((c) => [c, s.name] as const)));
  const villageError = (c: string) => errors.fields[`villageCodes.${sent.indexOf(c)}`];

  function toggle(c: string, on: boolean) {
    setChosen((list) => (on ? [...list, c] : list.filter((x) => x !== c)));
  }

  function fillFromVillages() {
    const at = centroid(villages.filter((v) => chosen.includes(v.properties.code)).map((v) => v.geometry));
    if (!at) return;
    setLon(String(at.lon));
    setLat(String(at.lat));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSent(chosen);
    const body = { code, name, townCode, lon: coordinate(lon), lat: coordinate(lat), villageCodes: chosen };
    const fields = [...FIELDS, ...chosen.map((_, i) => `villageCodes.${i}`)];
    if (await run(fields, () => (station ? api.patch(`/api/v1/stations/${station.id}`, body) : api.post('/api/v1/stations', body)))) onDone();
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label={station ? `编辑工作站 ${station.name}` : '新建工作站'}>
      <h3>{station ? `编辑工作站：${station.name}` : '新建工作站'}</h3>
      <Field label="编码" error={errors.fields.code}>
        <input className={styles.input} name="code" value={code} aria-invalid={!!errors.fields.code} onChange={(e) => setCode(e.target.value)} required />
      </Field>
      <Field label="名称" error={errors.fields.name}>
        <input className={styles.input} name="name" value={name} aria-invalid={!!errors.fields.name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label="镇（街道）" error={errors.fields.townCode}>
        <select className={styles.select} name="townCode" value={townCode} aria-invalid={!!errors.fields.townCode} onChange={(e) => {
          setTownCode(e.target.value);
          setChosen([]);
        }} required>
          <option value="">请选择</option>
          {towns.map((t) => <option key={t.properties.code} value={t.properties.code}>{t.properties.name}</option>)}
        </select>
      </Field>
      <Field label="经度" error={errors.fields.lon}>
        <input className={styles.input} name="lon" inputMode="decimal" value={lon} aria-invalid={!!errors.fields.lon} onChange={(e) => setLon(e.target.value)} />
      </Field>
      <Field label="纬度" error={errors.fields.lat}>
        <input className={styles.input} name="lat" inputMode="decimal" value={lat} aria-invalid={!!errors.fields.lat} onChange={(e) => setLat(e.target.value)} />
      </Field>
      <button type="button" className={`${styles.button} ${styles.inline}`} disabled={chosen.length === 0} onClick={fillFromVillages}>取所选村（社区）的中心</button>
      <fieldset className={styles.checks}>
        <legend>覆盖的村（社区）{townCode ? `（已选 ${chosen.length}）` : '：请先选择镇（街道）'}</legend>
        {inTown.map((v) => {
          const c = v.properties.code;
          const other = owner.get(c);
          return (
            <label key={c} className={styles.check} data-taken={!!other}>
              <input type="checkbox" value={c} checked={chosen.includes(c)} disabled={!!other && !chosen.includes(c)} onChange={(e) => toggle(c, e.target.checked)} />
              {v.properties.name}
              {other && <span className={styles.note}>（已由 {other} 覆盖）</span>}
              <FieldError message={villageError(c)} />
            </label>
          );
        })}
        <FieldError message={errors.fields.villageCodes} />
      </fieldset>
      <FormActions busy={busy} label="保存" busyLabel="保存中…" onCancel={onCancel} errors={errors} />
    </form>
  );
}
