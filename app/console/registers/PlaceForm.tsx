'use client';

import { useState, type FormEvent } from 'react';
import { PLACE_CATEGORY_LABEL, RISK_LEVEL_LABEL, type Place, type PlaceCategory, type RiskLevel } from '@/lib/contracts/place';
import { api } from '@/app/admin/api';
import { Field, FormActions } from '@/app/admin/Field';
import { useSubmit } from '@/app/admin/useSubmit';
import styles from '@/app/admin/admin.module.css';
import { changed, decimal } from './shared';

const FIELDS = ['name', 'category', 'riskLevel', 'address', 'lon', 'lat', 'outline'];

/** A key place by point (longitude and latitude, WGS-84) or by outline (GeoJSON); an edit sends only what changed. */
export default function PlaceForm({ place, onDone, onCancel }: { place: Place | null; onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState(place?.name ?? '');
  const [category, setCategory] = useState<PlaceCategory>(place?.category ?? 'market');
  const [riskLevel, setRiskLevel] = useState<RiskLevel>(place?.riskLevel ?? 'medium');
  const [address, setAddress] = useState(place?.address ?? '');
  const [lon, setLon] = useState(place ? String(place.lon) : '');
  const [lat, setLat] = useState(place ? String(place.lat) : '');
  const [outline, setOutline] = useState(place?.outline ? JSON.stringify(place.outline) : '');
  const [byOutline, setByOutline] = useState(!!place?.outline);
  const { errors, busy, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    let shape: unknown;
    try {
      shape = byOutline && outline.trim() ? JSON.parse(outline) : undefined;
    } catch {
      shape = outline;
    }
    const where = byOutline ? { outline: shape } : { lon: decimal(lon), lat: decimal(lat) };
    const body = { name, category, riskLevel, address: address.trim() || (place ? null : undefined), ...where };
    const before = place && { name: place.name, category: place.category, riskLevel: place.riskLevel, address: place.address ?? null, ...(place.outline ? { outline: place.outline } : { lon: place.lon, lat: place.lat }) };
    if (await run(FIELDS, () => (place ? api.patch(`/api/v1/places/${place.id}`, changed(before!, body)) : api.post('/api/v1/places', body)))) onDone();
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label={place ? `编辑场所 ${place.name}` : '登记重点场所'}>
      <h3>{place ? `编辑重点场所：${place.name}` : '登记重点场所'}</h3>
      <Field label="名称" error={errors.fields.name}>
        <input className={styles.input} name="name" value={name} aria-invalid={!!errors.fields.name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label="类别" error={errors.fields.category}>
        <select className={styles.select} name="category" value={category} onChange={(e) => setCategory(e.target.value as PlaceCategory)}>
          {Object.entries(PLACE_CATEGORY_LABEL).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
      </Field>
      <Field label="风险等级" error={errors.fields.riskLevel}>
        <select className={styles.select} name="riskLevel" value={riskLevel} onChange={(e) => setRiskLevel(e.target.value as RiskLevel)}>
          {Object.entries(RISK_LEVEL_LABEL).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
      </Field>
      <Field label="地址" error={errors.fields.address}>
        <input className={styles.input} name="address" value={address} onChange={(e) => setAddress(e.target.value)} />
      </Field>
      <fieldset className={styles.checks}>
        <legend>位置（WGS-84，按点落到网格）</legend>
        <label className={styles.check}><input type="radio" checked={!byOutline} onChange={() => setByOutline(false)} />经纬度</label>
        <label className={styles.check}><input type="radio" checked={byOutline} onChange={() => setByOutline(true)} />轮廓（GeoJSON）</label>
        {byOutline ? (
          <Field label="轮廓：Polygon 或 MultiPolygon 的 GeoJSON 几何" error={errors.fields.outline}>
            <textarea className={styles.input} name="outline" rows={3} cols={60} value={outline} aria-invalid={!!errors.fields.outline} onChange={(e) => setOutline(e.target.value)} />
          </Field>
        ) : (
          <>
            <Field label="经度" error={errors.fields.lon}>
              <input className={styles.input} name="lon" inputMode="decimal" value={lon} aria-invalid={!!errors.fields.lon} onChange={(e) => setLon(e.target.value)} placeholder="120.35" />
            </Field>
            <Field label="纬度" error={errors.fields.lat}>
              <input className={styles.input} name="lat" inputMode="decimal" value={lat} aria-invalid={!!errors.fields.lat} onChange={(e) => setLat(e.target.value)} placeholder="30.87" />
            </Field>
          </>
        )}
      </fieldset>
      <FormActions busy={busy} label="保存" busyLabel="保存中…" onCancel={onCancel} errors={errors} />
    </form>
  );
}
