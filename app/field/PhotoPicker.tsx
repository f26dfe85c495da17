'use client';

import type { ChangeEvent, Dispatch, SetStateAction } from 'react';
import { newKey } from './keys';
import type { PhotoRef } from './outbox';
import { deletePhoto, putPhoto } from './photoStore';
import { photoIdOf, preparePhoto, uploadPhoto } from './photos';
import s from './field.module.css';

export interface PickedPhoto {
  local: string;
  url: string | null;
  state: 'preparing' | 'uploading' | 'done' | 'waiting' | 'error';
  id: string | null;
  message: string | null;
}

const STATE_LABEL: Record<PickedPhoto['state'], string> = {
  preparing: '处理中…',
  uploading: '上传中…',
  done: '已上传',
  waiting: '待上传',
  error: '失败',
};

export const MAX_PHOTOS = 9;

/** The refs to queue with a report or step, or why it cannot go yet. */
export function photosReady(photos: readonly PickedPhoto[]): { refs: PhotoRef[] } | { problem: string } {
  if (photos.some((p) => p.state === 'preparing')) return { problem: '照片处理中，请稍候' };
  const bad = photos.find((p) => p.state === 'error');
  if (bad) return { problem: `有照片无法上传（${bad.message ?? '失败'}），请删除后重试` };
  return { refs: photos.map((p) => ({ local: p.local, id: p.id })) };
}

/** Lets go of the thumbnails' memory once the form is done with them. */
export function releasePhotos(photos: readonly PickedPhoto[]): void {
  for (const p of photos) if (p.url) URL.revokeObjectURL(p.url);
}

/**
 * Camera button and thumbnails. A photo is made small enough for 4G, kept on the phone, and
 * uploaded at once, while the user is still typing; if that fails for lack of network, the outbox
 * uploads it later with the report.
 */
export default function PhotoPicker({
  photos,
  setPhotos,
  testId,
}: {
  photos: readonly PickedPhoto[];
  setPhotos: Dispatch<SetStateAction<PickedPhoto[]>>;
  testId: string;
}) {
  const patch = (local: string, change: Partial<PickedPhoto>) =>
    setPhotos((list) => list.map((p) => (p.local === local ? { ...p, ...change } : p)));

  async function add(file: File) {
    const local = newKey();
    setPhotos((list) => [...list, { local, url: null, state: 'preparing', id: null, message: null }]);
    let blob: Blob;
    try {
      blob = await preparePhoto(file);
      await putPhoto(local, blob);
    } catch (error) {
      patch(local, { state: 'error', message: (error as Error).message });
      return;
    }
    patch(local, { url: URL.createObjectURL(blob), state: 'uploading' });
    const out = await uploadPhoto(local);
    const id = photoIdOf(out);
    if (id) patch(local, { state: 'done', id });
    else if (out.kind === 'retry') patch(local, { state: 'waiting', message: out.message });
    else patch(local, { state: 'error', message: out.kind === 'fail' ? out.message : '照片上传回执无效' });
  }

  function onPick(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []).slice(0, MAX_PHOTOS - photos.length);
    // The same photo may be picked again after removing it.
    e.target.value = '';
    for (const f of files) void add(f);
  }

  function remove(p: PickedPhoto) {
    if (p.url) URL.revokeObjectURL(p.url);
    setPhotos((list) => list.filter((x) => x.local !== p.local));
    void deletePhoto(p.local);
  }

  return (
    <div className={s.photos}>
      {photos.map((p) => (
        <div key={p.local} className={s.photo} data-testid="photo-thumb" data-state={p.state}>
          {/* A local blob: URL; Next's image optimiser has nothing to do with it. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          {p.url && <img src={p.url} alt="待上传照片" />}
          <span className={s.photoState} title={p.message ?? undefined}>
            {STATE_LABEL[p.state]}
          </span>
          <button type="button" className={s.photoRemove} aria-label="删除照片" onClick={() => remove(p)}>
            ×
          </button>
        </div>
      ))}
      {photos.length < MAX_PHOTOS && (
        <label className={s.addPhoto}>
          <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
            <path fill="currentColor" d="M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9Zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10Zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z" />
          </svg>
          拍照
          <input
            className={s.visuallyHidden}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            data-testid={testId}
            onChange={onPick}
          />
        </label>
      )}
    </div>
  );
}
