// Browsers strip tabs and newlines from URLs and read `\` as `/`, so `/\evil` or `/<tab>/evil`
// would leave the site. Nothing is repaired: anything not plainly one of our paths is refused.
const PATH = /^\/[^/\\]/;
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/** The string and each percent-decoding of it (nested encodings too), until stable or malformed. */
function layers(s: string): string[] {
  const out = [s];
  for (let i = 0; i < 4; i++) {
    let d: string;
    try {
      d = decodeURIComponent(s);
    } catch {
      break; // a lone `%` (as in `q=100%25`) ends decoding; what was decoded is still checked
    }
    if (d === s) break;
    out.push((s = d));
  }
  return out;
}

/** `next` itself when it is a path of this origin, else null: the value comes from the URL. */
export function safeNext(next: string | null, origin: string): string | null {
  if (!next) return null;
  if (!layers(next).every((s) => PATH.test(s) && !FORBIDDEN.test(s))) return null;
  try {
    return new URL(next, origin).origin === origin ? next : null;
  } catch {
    return null;
  }
}
