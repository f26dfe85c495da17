import { describe, expect, it } from 'vitest';
import { KEEP_BYTES, MAX_EDGE_PX, MAX_UPLOAD_BYTES, pickUpload, planImage, uploadableAsIs } from './image';

describe('planImage', () => {
  it('keeps a photo that is already small', () => {
    expect(planImage({ type: 'image/jpeg', bytes: 300_000, width: 1280, height: 960 })).toEqual({ action: 'keep' });
    expect(planImage({ type: 'image/webp', bytes: KEEP_BYTES, width: MAX_EDGE_PX, height: 900 })).toEqual({ action: 'keep' });
  });

  it('scales a camera photo to 1600 px on its long edge, keeping its shape', () => {
    expect(planImage({ type: 'image/jpeg', bytes: 4_800_000, width: 4032, height: 3024 })).toEqual({
      action: 'encode', width: 1600, height: 1200, type: 'image/jpeg', quality: 0.8,
    });
    const portrait = planImage({ type: 'image/jpeg', bytes: 4_800_000, width: 3024, height: 4032 });
    expect(portrait).toMatchObject({ width: 1200, height: 1600 });
  });

  it('re-encodes a small but heavy image without enlarging it', () => {
    expect(planImage({ type: 'image/png', bytes: 3_000_000, width: 1200, height: 800 })).toMatchObject({
      action: 'encode', width: 1200, height: 800,
    });
  });

  it('converts a type the server does not take', () => {
    expect(planImage({ type: 'image/heic', bytes: 200_000, width: 800, height: 600 })).toMatchObject({ action: 'encode', type: 'image/jpeg' });
  });

  it('never makes an edge of zero pixels', () => {
    expect(planImage({ type: 'image/jpeg', bytes: 5_000_000, width: 20_000, height: 3 })).toMatchObject({ width: 1600, height: 1 });
  });
});

describe('pickUpload', () => {
  it('sends the smaller of the two when the original is acceptable', () => {
    expect(pickUpload({ type: 'image/png', bytes: 900_000 }, 1_200_000)).toBe('original');
    expect(pickUpload({ type: 'image/jpeg', bytes: 5_000_000 }, 400_000)).toBe('encoded');
  });

  it('sends the encoded one when the server would refuse the original', () => {
    expect(pickUpload({ type: 'image/heic', bytes: 100_000 }, 400_000)).toBe('encoded');
    expect(pickUpload({ type: 'image/jpeg', bytes: MAX_UPLOAD_BYTES + 1 }, MAX_UPLOAD_BYTES + 5)).toBe('encoded');
  });
});

describe('uploadableAsIs', () => {
  it('takes the three accepted types up to the server limit', () => {
    expect(uploadableAsIs({ type: 'image/jpeg', bytes: MAX_UPLOAD_BYTES })).toBe(true);
    expect(uploadableAsIs({ type: 'image/jpeg', bytes: MAX_UPLOAD_BYTES + 1 })).toBe(false);
    expect(uploadableAsIs({ type: 'image/gif', bytes: 10 })).toBe(false);
  });
});
