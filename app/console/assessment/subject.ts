import type { ScoreV1 } from '@/lib/contracts/scores';

/** Who a score is of, in words: the station, the department at its station, the person. */
export function subjectName(s: Pick<ScoreV1, 'subjectKind' | 'stationName' | 'departmentName' | 'departmentCode' | 'personName' | 'personId'>): string {
  if (s.subjectKind === 'team') return s.departmentName ?? s.departmentCode ?? '部门';
  if (s.subjectKind === 'person') return s.personName ?? `人员 #${s.personId}`;
  return s.stationName;
}
