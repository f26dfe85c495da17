import { describe, expect, it } from 'vitest';
import { isImageMime, sniffImage } from './sniff';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('sniffImage', () => {
  it('knows JPEG, PNG and WebP by their magic bytes', () => {
    expect(sniffImage(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'))).toBe('image/jpeg');
    expect(sniffImage(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR'))).toBe('image/png');
    expect(sniffImage(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses what merely looks close: other RIFF files, truncated magic, text, nothing', () => {
    expect(sniffImage(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '))).toBeNull();
    expect(sniffImage(bytes('RIFF', [0x24, 0, 0, 0], 'WEB'))).toBeNull();
    expect(sniffImage(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a]))).toBeNull();
    expect(sniffImage(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffImage(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImage(bytes('GIF89a'))).toBeNull();
    expect(sniffImage(new Uint8Array())).toBeNull();
  });

  it('does not care what follows the magic, nor where the buffer came from', () => {
    const png = bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]);
    expect(sniffImage(png)).toBe('image/png');
    const shifted = new Uint8Array(bytes([0, 0], [...png]).buffer, 2);
    expect(sniffImage(shifted)).toBe('image/png');
  });

  it('isImageMime accepts only the three stored types', () => {
    expect(isImageMime('image/webp')).toBe(true);
    expect(isImageMime('image/svg+xml')).toBe(false);
    expect(isImageMime('image/JPEG')).toBe(false);
  });
});
