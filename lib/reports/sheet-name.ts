/**
 * Excel's rules for a worksheet's name (the file is refused, or repaired with a warning, otherwise):
 * at most 31 characters, none of : \ / ? * [ ], not starting or ending with an apostrophe, unique
 * without regard to case, and not 'History' (reserved). A station's name becomes its sheet's name;
 * one that clashes gets a number.
 */
export const MAX_SHEET_NAME = 31;
const FORBIDDEN = /[:\\/?*[\]]/g;

export function sheetName(wanted: string, taken: Set<string>): string {
  let base = wanted.replace(FORBIDDEN, '_').replace(/^'+|'+$/g, '').trim() || '工作表';
  if (base.toLowerCase() === 'history') base = `${base}_`;
  // Code points, not UTF-16 units: a name is cut between characters, never inside one.
  const cut = (s: string, n: number) => [...s].slice(0, n).join('');
  let name = cut(base, MAX_SHEET_NAME);
  for (let i = 2; taken.has(name.toLowerCase()); i++) {
    const tail = `(${i})`;
    name = cut(base, MAX_SHEET_NAME - tail.length) + tail;
  }
  taken.add(name.toLowerCase());
  return name;
}
