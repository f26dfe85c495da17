'use client';

import { useEffect, useRef, useState } from 'react';
import { uploadPhoto } from './api';
import { MAX_PHOTOS, preparePhoto } from './photo';
import s from './m.module.css';

export type Photo = { local: string; url: string; state: 'sending' | 'done' | 'failed'; id: string | null; error: string | null; file: File };

/** Ids of the uploaded photos, or why the form must wait. */
export function photosReady(photos: readonly Photo[]): { ids: string[] } | { problem: string } {
  if (photos.some((p) => p.state === 'sending')) return { problem: '照片上传中，请稍候' };
  if (photos.some((p) => p.state === 'failed')) return { problem: '有照片上传失败，请重试或删除' };
  return { ids: photos.map((p) => p.id!) };
}

/**
 * Up to three photos, each resized and uploaded as soon as it is picked, so the request itself is
 * small and goes at once. `capture` is not forced: the resident may pick an earlier photo too.
 */
export default function PhotoField({ photos, onChange, error }: { photos: Photo[]; onChange: (f: (p: Photo[]) => Photo[]) => void; error: string | undefined }) {
  const input = useRef<HTMLInputElement>(null);
  const [count, setCount] = useState(0);
  const urls = useRef(new Set<string>());

  useEffect(() => () => urls.current.forEach((u) => URL.revokeObjectURL(u)), []);

  const update = (local: string, patch: Partial<Photo>) => onChange((list) => list.map((p) => (p.local === local ? { ...p, ...patch } : p)));

  async function send(local: string, file: File) {
    update(local, { state: 'sending', error: null });
    try {
      const id = await uploadPhoto(await preparePhoto(file));
      update(local, { state: 'done', id });
    } catch (e) {
      update(local, { state: 'failed', error: e instanceof Error ? e.message : '上传失败' });
    }
  }

  function add(files: FileList | null) {
    const room = MAX_PHOTOS - photos.length;
    const picked = Array.from(files ?? []).slice(0, room);
    const added = picked.map((file, i) => {
      const url = URL.createObjectURL(file);
      urls.current.add(url);
      return { local: `p${count + i}`, url, state: 'sending' as const, id: null, error: null, file };
    });
    setCount((c) => c + picked.length);
    onChange((list) => [...list, ...added]);
    for (const p of added) void send(p.local, p.file);
    if (input.current) input.current.value = '';
  }

  return (
    <div className={s.field}>
      <span className={s.label}>照片（最多 {MAX_PHOTOS} 张，可不传）</span>
      <div className={s.photos}>
        {photos.map((p) => (
          <div key={p.local} className={s.thumb} data-testid="m-photo" data-state={p.state}>
            {/* eslint-disable-next-line @next/next/no-img-element -- a local blob: preview, nothing to optimise */}
            <img src={p.url} alt="已选照片" />
            <span className={s.thumbState}>
              {p.state === 'sending' ? '上传中…' : p.state === 'done' ? '已上传' : (
                <button type="button" className={s.link} style={{ color: '#fff', minHeight: 0, padding: 0 }} onClick={() => void send(p.local, p.file)}>
                  失败，重试
                </button>
              )}
            </span>
            <button type="button" className={s.thumbRemove} aria-label="删除照片" onClick={() => onChange((list) => list.filter((x) => x.local !== p.local))}>
              ×
            </button>
          </div>
        ))}
        {photos.length < MAX_PHOTOS && (
          <label className={s.addPhoto} style={{ position: 'relative' }}>
            ＋<br />添加照片
            <input ref={input} type="file" accept="image/jpeg,image/png,image/webp" multiple onChange={(e) => add(e.target.files)} data-testid="m-photo-input" />
          </label>
        )}
      </div>
      {photos.filter((p) => p.error).map((p) => (
        <p key={p.local} className={s.fieldError}>{p.error}</p>
      ))}
      {error && <p className={s.fieldError} data-testid="m-error-photos">{error}</p>}
    </div>
  );
}
