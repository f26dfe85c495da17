import { z } from 'zod';

/** S5 residency modes of departments in a station. */
export const Residency = z.enum(['resident', 'rotating', 'on_call']);
export type Residency = z.infer<typeof Residency>;
export const RESIDENCY_LABEL: Record<Residency, string> = { resident: '常驻', rotating: '轮驻', on_call: '联驻' };

/** S5: the departments a station hosts and how each is stationed by default. */
export const DEPARTMENTS = [
  { code: 'police', name: '公安', residency: 'resident' },
  { code: 'enforcement', name: '综合执法', residency: 'resident' },
  { code: 'market', name: '市场监管', residency: 'resident' },
  { code: 'justice', name: '司法', residency: 'rotating' },
  { code: 'agriculture', name: '农业农村', residency: 'rotating' },
  { code: 'emergency', name: '应急管理', residency: 'rotating' },
  { code: 'fire', name: '消防', residency: 'rotating' },
  { code: 'hrss', name: '人力社保', residency: 'rotating' },
  { code: 'housing', name: '住建', residency: 'rotating' },
  { code: 'ecology', name: '生态环境', residency: 'rotating' },
  { code: 'natural_resources', name: '自然资源', residency: 'rotating' },
  { code: 'culture', name: '文广旅体', residency: 'on_call' },
  { code: 'education', name: '教育', residency: 'on_call' },
  { code: 'civil_affairs', name: '民政', residency: 'on_call' },
] as const satisfies readonly { code: string; name: string; residency: Residency }[];

export type DepartmentCode = (typeof DEPARTMENTS)[number]['code'];
