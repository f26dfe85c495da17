import { MAX_UPLOAD_BYTES, pickUpload, planImage, uploadableAsIs } from './image';

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

/**
 * The blob to upload for a picked file: downscaled when it is big (see image.ts), else itself.
 * Kept apart from photos.ts so the residents' page (/m) resizes by the same rules without the
 * field page's outbox and IndexedDB store in its bundle; `maxBytes` is the receiving route's limit.
 */
export async function preparePhoto(file: File, maxBytes = MAX_UPLOAD_BYTES): Promise<Blob> {
  const asIs = () => uploadableAsIs({ type: file.type, bytes: file.size }) && file.size <= maxBytes;
  const bitmap = await decode(file);
  if (!bitmap) {
    if (asIs()) return file;
    throw new Error('无法读取此图片，请换一张 JPEG/PNG/WebP 照片');
  }
  try {
    const plan = planImage({ type: file.type, bytes: file.size, width: bitmap.width, height: bitmap.height });
    if (plan.action === 'keep') return file;
    const encoded = await encode(bitmap, plan.width, plan.height, plan.type, plan.quality);
    if (!encoded) {
      if (asIs()) return file;
      throw new Error('照片压缩失败，请重试');
    }
    return pickUpload({ type: file.type, bytes: file.size }, encoded.size) === 'original' && asIs() ? file : encoded;
  } finally {
    bitmap.close();
  }
}
