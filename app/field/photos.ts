import { call, UPLOAD_TIMEOUT_MS } from './api';
import type { Outcome } from './outbox';
import { getPhoto } from './photoStore';
import { PhotoReceipt } from './schemas';

export { preparePhoto } from './prepare';

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
