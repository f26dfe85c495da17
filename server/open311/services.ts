import { KIND_CATEGORY, type CitizenKind } from '@/lib/contracts/citizen';
import { SUBCATEGORY_ATTRIBUTE } from '@/lib/open311/georeport';
import type { XmlValue } from '@/lib/open311/xml';
import type { CategoryRow, Reference } from '../events/reference';

/**
 * Open311 services from the taxonomy (issue 14 point 2): one service per active top-level category
 * a resident may report under, its sub-categories as a `subcategory` singlevaluelist attribute;
 * 政策咨询 is the service that asks a question; 投诉建议 is two services (complaint, suggestion),
 * since each is its own kind of request. service_code is the category code, so it never drifts.
 */
export interface Open311Service {
  code: string;
  name: string;
  group: string;
  /** What the request becomes (CitizenSubmissionV1's kind). */
  kind: Exclude<CitizenKind, 'mediation'>;
  /** For kind 'report': the category filed under. */
  category: string;
  subcategories: CategoryRow[];
  department: string | null;
}

/** Categories filed by the kind of request rather than picked (lib/contracts/citizen KIND_CATEGORY). */
const FEEDBACK = 'feedback';
const KIND_OF_CODE = new Map(Object.entries(KIND_CATEGORY).map(([kind, code]) => [code, kind as 'question' | 'complaint' | 'suggestion']));

const byOrder = (a: CategoryRow, b: CategoryRow) => a.sort - b.sort || a.code.localeCompare(b.code);

export function servicesOf(ref: Reference): Open311Service[] {
  const all = [...ref.categories.values()].filter((c) => c.active).sort(byOrder);
  const childrenOf = (code: string) => all.filter((c) => c.parentCode === code);
  const out: Open311Service[] = [];
  for (const c of all.filter((x) => x.parentCode === null)) {
    if (c.code === FEEDBACK) {
      for (const sub of childrenOf(c.code)) {
        const kind = KIND_OF_CODE.get(sub.code);
        if (kind) out.push({ code: sub.code, name: sub.label, group: c.label, kind, category: c.code, subcategories: [], department: c.department });
      }
      continue;
    }
    const kind = KIND_OF_CODE.get(c.code) ?? 'report';
    out.push({ code: c.code, name: c.label, group: c.label, kind, category: c.code, subcategories: kind === 'report' ? childrenOf(c.code) : [], department: c.department });
  }
  return out;
}

const DESCRIPTION: Record<Open311Service['kind'], string> = {
  report: '上报需要现场处置的问题，工作站按时限受理、交办、处置并核查办结。',
  question: '政策咨询：工作站在 1 个工作日内书面答复。',
  complaint: '投诉：工作站调查后答复；针对已办事项的投诉会重启督办。',
  suggestion: '建议：工作站研究后答复。',
};

/** A service as GET services lists it (the spec's fields, in its order). */
export function serviceEntry(s: Open311Service, ref: Reference): Record<string, XmlValue> {
  const dept = s.department ? ref.departments.get(s.department) : undefined;
  return {
    service_code: s.code,
    service_name: s.name,
    description: dept ? `${DESCRIPTION[s.kind]}默认由${dept}办理。` : DESCRIPTION[s.kind],
    metadata: s.subcategories.length > 0,
    type: 'realtime',
    keywords: [s.name, s.group, ...s.subcategories.map((c) => c.label)].filter((k, i, all) => all.indexOf(k) === i).join(', '),
    group: s.group,
  };
}

/** GET services/{code}: the definition, with the sub-category list when there is one. */
export function serviceDefinition(s: Open311Service): Record<string, XmlValue> {
  const attributes: XmlValue[] = s.subcategories.length
    ? [{
        variable: true,
        code: SUBCATEGORY_ATTRIBUTE,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '从列表中选择一个子类；不选则按大类办理',
        order: 1,
        description: `${s.name}的子类`,
        values: s.subcategories.map((c) => ({ key: c.code, name: c.label })),
      }]
    : [];
  return { service_code: s.code, attributes };
}
