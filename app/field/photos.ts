import { call, UPLOAD_TIMEOUT_MS } from './api';
import { planImage, pickUpload, uploadableAsIs } from './image';
import type { Outcome } from './outbox';
import { getPhoto } from './photoStore';
import { PhotoReceipt } from './schemas';

async function decode(file: Blob): Promise<ImageBitmap | null> {
  try {
    // from-image: a phone held upright writes a landscape JPEG plus an EXIF turn; keep it upright.
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return null;
  }
}

function encode(bitmap: ImageBitmap, width: number, height: number, type: string, quality: number): Promise<Blob | null> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.resolve(null);
  // JPEG has no transparency: a PNG's clear parts would turn black.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

/** The blob to upload for a picked file: downscaled when it is big (see image.ts), else itself. */
export async function preparePhoto(file: File): Promise<Blob> {
  const bitmap = await decode(file);
  if (!bitmap) {
    if (uploadableAsIs({ type: file.type, bytes: file.size })) return file;
    throw new Error('无法读取此图片，请换一张 JPEG/PNG/WebP 照片');
  }
  try {
    const plan = planImage({ type: file.type, bytes: file.size, width: bitmap.width, height: bitmap.height });
    if (plan.action === 'keep') return file;
    const encoded = await encode(bitmap, plan.width, plan.height, plan.type, plan.quality);
    if (!encoded) {
      if (uploadableAsIs({ type: file.type, bytes: file.size })) return file;
      throw new Error('照片压缩失败，请重试');
    }
    return pickUpload({ type: file.type, bytes: file.size }, encoded.size) === 'original' ? file : encoded;
  } finally {
    bitmap.close();
  }
}

const inFlight = new Map<string, Promise<Outcome>>();

/**
 * Uploads a stored photo; the picker starts this as soon as a photo is taken and the outbox awaits
 * the same promise when the report goes, so a photo is not sent twice at once.
 */
export function uploadPhoto(local: string): Promise<Outcome> {
  const running = inFlight.get(local);
  if (running) return running;
  const p = (async (): Promise<Outcome> => {
    const blob = await getPhoto(local);
    if (!blob) return { kind: 'fail', status: null, message: '照片已不在本机，请删除后重新拍摄', issues: [] };
    const out = await call('POST', '/api/v1/photos', { blob, timeoutMs: UPLOAD_TIMEOUT_MS });
    if (out.kind !== 'ok') return out.status === 404 ? { ...out, message: '照片上传暂不可用' } : out;
    const receipt = PhotoReceipt.safeParse(out.body);
    return receipt.success ? { ...out, body: receipt.data } : { kind: 'fail', status: out.status, message: '照片上传回执无效', issues: [] };
  })();
  inFlight.set(local, p);
  void p.finally(() => inFlight.delete(local));
  return p;
}

export function photoIdOf(out: Outcome): string | null {
  if (out.kind !== 'ok') return null;
  const r = PhotoReceipt.safeParse(out.body);
  return r.success ? r.data.id : null;
}

export const photoUrl = (id: string) => `/api/v1/photos/${encodeURIComponent(id)}`;
