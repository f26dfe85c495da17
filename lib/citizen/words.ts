/*
 * A resident's words as the system keeps and shows them (issue 14, S14). The title travels to the
 * wall and the live push, so it never carries the phone number or the name the resident typed.
 */

/**
 * Runs of 7 or more digits (phone numbers, ID numbers), a space, dot or dash allowed between them
 * (138.1234.5678); matched after NFKC, so full-width digits (１３８…) are digits too (review L1).
 */
const LONG_NUMBER = /\d(?:[\s.\-]?\d){6,}/g;

export const TITLE_MAX = 30;

/**
 * Removes long numbers and the resident's own name from text that others see: the whole name, and
 * for a name of three or more characters its last two (the given name, 王小明 → 小明), which is how
 * people write about themselves and their family.
 */
export function scrubPersonal(text: string, name?: string | null): string {
  let s = text.normalize('NFKC').replace(LONG_NUMBER, '***');
  const n = name?.normalize('NFKC').replace(/\s+/g, '');
  if (n && n.length >= 2) {
    s = s.split(n).join('**');
    const chars = Array.from(n);
    if (chars.length >= 3) s = s.split(chars.slice(-2).join('')).join('**');
  }
  return s;
}

/** The event's title: the first words (≤ 30 characters), after the kind for requests that are not problem reports. */
export function titleOf(kindLabel: string | null, description: string, name?: string | null): string {
  const words = scrubPersonal(description, name).replace(/\s+/g, ' ').trim();
  const head = kindLabel ? `${kindLabel}：` : '';
  const room = TITLE_MAX - head.length;
  const chars = Array.from(words);
  const body = chars.length > room ? `${chars.slice(0, room - 1).join('')}…` : words;
  return `${head}${body || '（无内容）'}`;
}

/** Words compared for merging: width-folded, lower case, without spaces and punctuation. */
export function contentWords(description: string): string {
  return description.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** 13812341234 → 138****1234 (the resident's own number, shown back only to them). */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
