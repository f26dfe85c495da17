/** Points as the assessment shows them: two decimals at most, no trailing zeros (92.5, 88, 3.25). */
export const pts = (x: number) => String(Math.round(x * 100) / 100);

/** An adjustment with its sign: +2, −1.5, and a dash for none. */
export const signed = (x: number) => (x === 0 ? '—' : x > 0 ? `+${pts(x)}` : `−${pts(-x)}`);

export const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
/** A moment in Shanghai time, or a dash. */
export const at = (iso: string | null) => (iso ? TIME.format(new Date(iso)) : '—');

/** A number box's text: a number when it reads as one, else the text itself, so the server names the mistake. */
export const numberOrText = (text: string): number | string => (/^\s*[-+]?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text);
