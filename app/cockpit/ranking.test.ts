import { describe, expect, it } from 'vitest';
import type { AreaInfo } from '@/lib/contracts/kpi';
import { rankingColumns, sortRanking, type RankingRow } from './ranking';

const area = (id: number, name: string): AreaInfo => ({ ref: `station:${id}`, kind: 'station', name, parent: 'district' });
const rows: RankingRow[] = [
  { area: area(1, '甲'), values: { completion: 0.5, overdue: 3 } },
  { area: area(2, '乙'), values: { completion: null, overdue: 0 } },
  { area: area(3, '丙'), values: { completion: 0.9, overdue: 7 } },
];
const names = (r: RankingRow[]) => r.map((x) => x.area.name);

describe('sortRanking', () => {
  it('puts the better end first: high for 办结率, low for 超期', () => {
    expect(names(sortRanking(rows, { kpi: 'completion', order: 'best' }))).toEqual(['丙', '甲', '乙']);
    expect(names(sortRanking(rows, { kpi: 'overdue', order: 'best' }))).toEqual(['乙', '甲', '丙']);
  });

  it('reverses for the worst first, with nothing-to-measure still last', () => {
    expect(names(sortRanking(rows, { kpi: 'completion', order: 'worst' }))).toEqual(['甲', '丙', '乙']);
    expect(names(sortRanking(rows, { kpi: 'overdue', order: 'worst' }))).toEqual(['丙', '甲', '乙']);
  });

  it('lists the figures present, in the vocabulary order', () => {
    expect(rankingColumns(rows)).toEqual(['completion', 'overdue']);
  });
});
