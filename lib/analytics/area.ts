import type { AreaKind, AreaRef } from '@/lib/contracts/kpi';

/** An area reference taken apart: `station:12` → { kind: 'station', key: '12' }. */
export interface ParsedArea {
  kind: AreaKind;
  /** The code of a town or grid, the id of a station; '' for the district. */
  key: string;
}

export function parseArea(ref: AreaRef): ParsedArea {
  if (ref === 'district') return { kind: 'district', key: '' };
  const i = ref.indexOf(':');
  return { kind: ref.slice(0, i) as AreaKind, key: ref.slice(i + 1) };
}

export const areaRef = (kind: AreaKind, key: string | number): AreaRef => (kind === 'district' ? 'district' : `${kind}:${key}`);

/** The children a ranking puts side by side (互比互看): the district and a town rank stations, a station its grids. */
export function childKind(kind: AreaKind): AreaKind | null {
  if (kind === 'district' || kind === 'town') return 'station';
  if (kind === 'station') return 'grid';
  return null;
}
