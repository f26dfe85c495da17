// bench:citizen's photos: a phone camera's JPEG in structure (SOI, JFIF, EXIF with a camera's words,
// a comment, quantisation and Huffman tables, a frame, a scan, EOI) with `bytes` of scan data from a
// seeded generator, so each resident's photo is its own (the store keys photos by their hash) and
// the server's sniffing and metadata stripping (lib/media/strip) do what they do for a real one.
// The scan is not a decodable picture: nothing on the upload path decodes pixels.

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const text = (s: string) => [...Buffer.from(s, 'latin1')];
const segment = (marker: number, payload: number[]) => [0xff, marker, ...u16(payload.length + 2), ...payload];

/** xorshift32: the same seed, the same photo (a retry uploads the very same bytes). */
function stream(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x & 0xff;
  };
}

export function benchJpeg(seed: number, bytes: number): Buffer {
  const app0 = segment(0xe0, [...text('JFIF\0'), 1, 1, 0, 0, 72, 0, 72, 0, 0]);
  // Metadata a phone writes and the server must strip (S14: no resident's whereabouts leak).
  const exif = segment(0xe1, [...text('Exif\0\0'), ...text('MM\0*'), 0, 0, 0, 8, 0, 0, 0, 0, 0, 0]);
  const com = segment(0xfe, text(`bench resident ${seed} at home`));
  const dqt = segment(0xdb, [0, ...Array.from({ length: 64 }, (_, k) => 1 + (k % 50))]);
  const sof = segment(0xc0, [8, ...u16(1080), ...u16(1440), 1, 1, 0x11, 0]);
  const dht = segment(0xc4, [0x00, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const sos = segment(0xda, [1, 1, 0x00, 0, 63, 0]);
  const head = Buffer.from([0xff, 0xd8, ...app0, ...exif, ...com, ...dqt, ...sof, ...dht, ...sos]);
  const next = stream(seed);
  const scan = Buffer.alloc(bytes);
  for (let k = 0; k < bytes; k++) {
    const b = next();
    // Inside the scan a 0xFF is always followed by a stuffed 0x00 (T.81 B.1.1.5).
    if (b === 0xff && k + 1 < bytes) {
      scan[k] = 0xff;
      scan[++k] = 0x00;
    } else scan[k] = b === 0xff ? 0x00 : b;
  }
  return Buffer.concat([head, scan, Buffer.from([0xff, 0xd9])]);
}
