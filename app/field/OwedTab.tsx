'use client';

import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import type { MineAnswer, OwedItem } from '@/lib/coverage/contracts';
import { http } from '@/app/http';
import { call } from './api';
import { newKey } from './keys';
import PhotoPicker, { photosReady, releasePhotos, type PickedPhoto } from './PhotoPicker';
import s from './field.module.css';
import { categoryLabel } from '@/lib/coverage/labels';

const OwedMap = dynamic(() => import('./OwedMap'), { ssr: false });

type Here = { lon: number; lat: number };

function position(): Promise<Here> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) return reject(new Error('此设备不支持定位'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude }),
      (e) => reject(new Error(e.code === 1 ? '定位权限被拒绝' : e.code === 3 ? '定位超时' : '暂时无法获取位置')),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  });
}

const distance = (m: number | null | undefined) => (m == null ? '' : m < 1000 ? `${m} 米` : `${(m / 1000).toFixed(1)} 公里`);

/**
 * 本月待访 (S3: every place and key person of the grid, every month): what the trace has not yet
 * shown visited, nearest first from where the phone is, with a manual check-in (手动签到: a photo
 * taken there and the current position) where the trace cannot prove the visit.
 */
export default function OwedTab({ active }: { active: boolean }) {
  const [here, setHere] = useState<Here | null>(null);
  const [data, setData] = useState<MineAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [open, setOpen] = useState<OwedItem | null>(null);

  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    if (!active) return;
    let live = true;
    // Without a position the list still comes, in the server's order.
    void position()
      .catch(() => null)
      .then((at) => {
        if (live) setHere(at);
        return http.get<MineAnswer>(`/api/v1/coverage/mine${at ? `?lon=${at.lon}&lat=${at.lat}` : ''}`);
      })
      .then(
        (answer) => {
          if (!live) return;
          setData(answer);
          setProblem(null);
        },
        (error: unknown) => live && setProblem((error as Error).message),
      );
    return () => {
      live = false;
    };
  }, [active, version]);

  if (problem && !data) return <p className={s.empty}>加载失败：{problem}</p>;
  if (!data) return <p className={s.empty}>加载中…</p>;
  if (data.grids.length === 0) return <p className={s.empty}>您没有负责的网格。</p>;
  return (
    <div className={s.page} data-testid="owed">
      <div className={s.listHead}>
        <span>本月（{data.month}）尚欠 {data.items.length} 项{here ? '，由近及远' : ''}</span>
        <button type="button" className={s.linkButton} onClick={reload}>刷新</button>
      </div>
      {data.items.length > 0 && <OwedMap items={data.items} here={here} />}
      {data.items.length === 0 && <p className={s.empty}>本月已全部走访。</p>}
      {data.items.map((i) => (
        <div key={`${i.kind}-${i.id}`} className={s.task} data-testid="owed-item">
          <div className={s.taskTop}>
            <span className={s.taskTitle}>{i.name}</span>
            <span className={s.pill}>{i.kind === 'place' ? '重点场所' : '重点人员'}</span>
          </div>
          <div className={s.meta}>
            {categoryLabel(i.kind, i.category)}{i.address ? ` · ${i.address}` : ''}{i.distanceM != null ? ` · ${distance(i.distanceM)}` : ''}
            {i.owed > 1 ? ` · 已访 ${i.made}/${i.owed} 次` : ''}
          </div>
          <button type="button" className={`${s.btn} ${s.btnPrimary}`} onClick={() => setOpen(i)}>手动签到</button>
        </div>
      ))}
      {open && <CheckIn item={open} onClose={() => setOpen(null)} onDone={() => { setOpen(null); reload(); }} />}
    </div>
  );
}

/** 手动签到: one photo taken there, then the position the moment it is sent (the server checks it is near). */
function CheckIn({ item, onClose, onDone }: { item: OwedItem; onClose: () => void; onDone: () => void }) {
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per check-in, kept over retries: the server answers a repeat with the first.
  const [requestKey] = useState(newKey);

  async function send() {
    const ready = photosReady(photos);
    if ('problem' in ready) return setError(ready.problem);
    const photoId = ready.refs[0]?.id;
    if (!photoId) return setError(ready.refs.length ? '照片尚未上传，请在有网络时重试' : '请先拍一张现场照片');
    setBusy(true);
    setError(null);
    try {
      const at = await position();
      const out = await call('POST', '/api/v1/visits', {
        json: { [item.kind === 'place' ? 'placeId' : 'personId']: item.id, lon: at.lon, lat: at.lat, photoId, requestKey, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      if (out.kind === 'ok') {
        releasePhotos(photos);
        return onDone();
      }
      setError(out.message);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={s.backdrop} role="dialog" aria-label="手动签到">
      <div className={s.sheet}>
        <h3 className={s.sheetTitle}>手动签到：{item.name}</h3>
        <p className={s.hint}>轨迹无法证明走访时使用：在现场拍照，提交时取当前位置（须在目标 200 米内），记为“手动签到”。</p>
        <PhotoPicker photos={photos} setPhotos={setPhotos} testId="checkin-photo" />
        <textarea className={s.textarea} placeholder="备注（可选）" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        {error && <p className={s.fieldError} role="alert">{error}</p>}
        <div className={s.sheetButtons}>
          <button type="button" className={s.btn} onClick={() => { releasePhotos(photos); onClose(); }}>取消</button>
          <button type="button" className={`${s.btn} ${s.btnPrimary}`} disabled={busy} onClick={() => void send()} data-testid="checkin-send">
            {busy ? '提交中…' : '签到'}
          </button>
        </div>
      </div>
    </div>
  );
}
