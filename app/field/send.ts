import { call } from './api';
import { bodyOf, type OutboxItem, type Outcome, type PhotoRef } from './outbox';
import { photoIdOf, uploadPhoto } from './photos';

/** Where an item goes. */
export function urlOf(item: OutboxItem): string {
  const p = item.payload;
  return p.kind === 'report' ? '/api/v1/events' : p.kind === 'command' ? p.url : `/api/v1/events/${p.eventId}/actions`;
}

/**
 * One attempt of an outbox item: its photos first (each one's id is recorded at once through
 * `notePhoto`, so a retry uploads only what is missing), then the report or the step itself.
 */
export async function sendItem(item: OutboxItem, notePhoto: (local: string, id: string) => void): Promise<Outcome> {
  const photos: PhotoRef[] = [];
  for (const ref of item.payload.photos) {
    if (ref.id) {
      photos.push(ref);
      continue;
    }
    const up = await uploadPhoto(ref.local);
    const id = photoIdOf(up);
    if (!id) {
      if (up.kind === 'ok') return { kind: 'fail', status: up.status, message: '照片上传回执无效', issues: [] };
      return { ...up, message: `照片上传失败：${up.message}` };
    }
    notePhoto(ref.local, id);
    photos.push({ ...ref, id });
  }
  return call('POST', urlOf(item), { json: bodyOf({ ...item.payload, photos }) });
}
