import type { AppContext } from '../../context';
import type { Router } from '../router';

/** The taxonomy and departments every page needs to report and route (issue 4: taxonomy as data). */
export function taxonomyRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/categories', 'session', {
    doc: {
      summary: '在用的事件类别',
      description: '大类及其子类（停用的不列出），上报时 category、subcategory 取其 code。',
      response: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, label: { type: 'string' }, subcategories: { type: 'array', items: { type: 'object' } } }, required: ['code', 'label', 'subcategories'] } },
    },
  }, async () => {
    const ref = await app.reference.get();
    const all = [...ref.categories.values()].filter((c) => c.active);
    return {
      body: all
        .filter((c) => c.parentCode === null)
        .map((c) => ({
          code: c.code, label: c.label, department: c.department, severity: c.severity,
          subcategories: all.filter((s) => s.parentCode === c.code).map((s) => ({ code: s.code, label: s.label, department: s.department })),
        })),
    };
  });

  router.add('GET', '/api/v1/departments', 'session', {
    doc: { summary: '部门', response: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } }, required: ['code', 'name'] } } },
  }, async () => {
    const ref = await app.reference.get();
    return { body: [...ref.departments].map(([code, name]) => ({ code, name })) };
  });
}
