import type { IncidentSeverity } from './contracts/live';
import type { DepartmentCode } from './departments';

/**
 * The default taxonomy of grassroots governance events (S8, S9). The `categories` table is what
 * the system uses and an administrator edits; these are its seed (server/events/taxonomy.ts) and the simulator's mix (`share` sums to 1).
 */
export interface CategorySeed {
  code: string;
  label: string;
  share: number;
  severity: IncidentSeverity;
  /** The stationed department it is routed to by default (S5, S10, S12); null: the station coordinates. */
  department: DepartmentCode | null;
  subcategories: { code: string; label: string; department?: DepartmentCode }[];
}

export const CATEGORIES: CategorySeed[] = [
  {
    // S10: disputes go to the villages, with the mediation micro-centre (S4) under 司法.
    code: 'dispute', label: '矛盾纠纷', share: 0.3, severity: 'normal', department: 'justice',
    subcategories: [
      { code: 'family', label: '婚姻家庭' }, { code: 'neighbour', label: '邻里纠纷' },
      { code: 'homestead', label: '宅基地/房屋' }, { code: 'compensation', label: '损害赔偿' },
      { code: 'labour', label: '劳资纠纷' }, { code: 'property', label: '物业纠纷' }, { code: 'land', label: '土地纠纷' },
    ],
  },
  {
    code: 'hazard', label: '安全隐患', share: 0.2, severity: 'high', department: 'emergency',
    subcategories: [
      { code: 'fire', label: '消防', department: 'fire' }, { code: 'production', label: '生产安全' },
      { code: 'traffic', label: '交通', department: 'police' }, { code: 'gas', label: '燃气' },
      { code: 'hazchem', label: '危化品' }, { code: 'building', label: '建筑', department: 'housing' },
    ],
  },
  { code: 'public_order', label: '治安', share: 0.1, severity: 'high', department: 'police', subcategories: [] },
  { code: 'environment', label: '环境卫生/生态', share: 0.12, severity: 'normal', department: 'ecology', subcategories: [] },
  { code: 'market', label: '市场监管', share: 0.07, severity: 'normal', department: 'market', subcategories: [] },
  { code: 'city', label: '城市管理', share: 0.08, severity: 'low', department: 'enforcement', subcategories: [] },
  { code: 'livelihood', label: '民生诉求', share: 0.08, severity: 'low', department: 'civil_affairs', subcategories: [] },
  { code: 'policy', label: '政策咨询', share: 0.03, severity: 'low', department: null, subcategories: [] },
  { code: 'other', label: '其他', share: 0.02, severity: 'low', department: null, subcategories: [] },
  // Issue 14 (S14): residents' complaints and suggestions, answered in words by the station. Share 0:
  // the simulator's mix stays as it was; only the citizens' channel files under it.
  {
    code: 'feedback', label: '投诉建议', share: 0, severity: 'low', department: null,
    subcategories: [{ code: 'complaint', label: '投诉' }, { code: 'suggestion', label: '建议' }],
  },
];

/** Categories a resident does not pick on /m: the kind of the request files them (lib/contracts/citizen KIND_CATEGORY). */
export const CITIZEN_KIND_CATEGORIES: readonly string[] = ['policy', 'feedback'];

/**
 * Time limits seeded once as data (admins edit them afterwards), in working days: a question is
 * answered within 1 (accept 1/2, handle 1/2); a complaint or suggestion within 5 (accept 1/2, handle 5/10).
 */
export const SEED_TIME_LIMITS: { category: string; acceptYellow: number; acceptRed: number; handleYellow: number; handleRed: number }[] = [
  { category: 'policy', acceptYellow: 1, acceptRed: 2, handleYellow: 1, handleRed: 2 },
  { category: 'feedback', acceptYellow: 1, acceptRed: 2, handleYellow: 5, handleRed: 10 },
];

export const CATEGORY_LABEL: Record<string, string> = Object.fromEntries(CATEGORIES.map((c) => [c.code, c.label]));
