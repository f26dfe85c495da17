import type { AppContext } from '../../context';
import type { Router } from '../router';

/** The taxonomy and departments every page needs to report and route (issue 4: taxonomy as data). */
export function taxonomyRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/categories', 'session', async () => {
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

  router.add('GET', '/api/v1/departments', 'session', async () => {
    const ref = await app.reference.get();
    return { body: [...ref.departments].map(([code, name]) => ({ code, name })) };
  });
}
