/*
 * How a photo is prepared for upload, decided from its size alone. A phone camera's 12-megapixel
 * JPEG of 4–6 MB takes a minute on a weak 4G cell; at 1600 px on the long edge it is a few hundred
 * kB and still shows a crack in a wall or a blocked fire exit.
 */

export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** The server's limit (POST /api/v1/photos). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_EDGE_PX = 1600;
/** Below this a photo of acceptable size goes as it is: re-encoding would only lose detail. */
export const KEEP_BYTES = 1024 * 1024;
export const JPEG_QUALITY = 0.8;

export interface ImageFacts {
  type: string;
  bytes: number;
  width: number;
  height: number;
}

export type ImagePlan = { action: 'keep' } | { action: 'encode'; width: number; height: number; type: 'image/jpeg'; quality: number };

const accepted = (type: string) => (ACCEPTED_TYPES as readonly string[]).includes(type);

export function planImage(img: ImageFacts): ImagePlan {
  const edge = Math.max(img.width, img.height);
  if (accepted(img.type) && edge <= MAX_EDGE_PX && img.bytes <= KEEP_BYTES) return { action: 'keep' };
  const scale = edge > MAX_EDGE_PX ? MAX_EDGE_PX / edge : 1;
  return {
    action: 'encode',
    width: Math.max(1, Math.round(img.width * scale)),
    height: Math.max(1, Math.round(img.height * scale)),
    type: 'image/jpeg',
    quality: JPEG_QUALITY,
  };
}

/**
 * After encoding, which blob to send. A small but heavy PNG (a screenshot) may grow as a JPEG;
 * then the original wins if the server would take it.
 */
export function pickUpload(original: { type: string; bytes: number }, encodedBytes: number): 'original' | 'encoded' {
  const originalOk = accepted(original.type) && original.bytes <= MAX_UPLOAD_BYTES;
  return originalOk && original.bytes <= encodedBytes ? 'original' : 'encoded';
}

/** Whether a file the browser could not decode may still go up untouched. */
export function uploadableAsIs(file: { type: string; bytes: number }): boolean {
  return accepted(file.type) && file.bytes <= MAX_UPLOAD_BYTES;
}
