'use client';

import { useEffect, useMemo, useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { getJson } from './api';

/** GET /api/v1/categories */
export interface CategoryRef {
  code: string;
  label: string;
  department: string | null;
  subcategories: { code: string; label: string; department: string | null }[];
}

/** GET /api/v1/departments */
export interface DepartmentRef {
  code: string;
  name: string;
}

export interface Reference {
  me: Me | null;
  categories: readonly CategoryRef[];
  departments: readonly DepartmentRef[];
  departmentName: (code: string) => string;
  /** The department an event of this category goes to by default (S12), or '' when the station coordinates. */
  defaultDepartment: (category: string, subcategory: string | null) => string;
}

const RETRY_MS = 10_000;

/** Loads a small JSON list once, retrying until it comes: a desk left open overnight must recover. */
function useOnce<T>(url: string, fallback: T): T {
  const [value, setValue] = useState<T>(fallback);
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      getJson<T>(url, controller.signal)
        .then((r) => {
          if (r.ok) setValue(r.body);
          else timer = setTimeout(load, RETRY_MS);
        })
        .catch(() => undefined);
    void load();
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [url]);
  return value;
}

const NO_CATEGORIES: CategoryRef[] = [];
const NO_DEPARTMENTS: DepartmentRef[] = [];

/** Who is at the desk, and the taxonomy and departments the filters and forms offer. */
export function useReference(): Reference {
  const me = useOnce<Me | null>('/api/v1/auth/me', null);
  const categories = useOnce('/api/v1/categories', NO_CATEGORIES);
  const departments = useOnce('/api/v1/departments', NO_DEPARTMENTS);
  return useMemo(() => {
    const names = new Map(departments.map((d) => [d.code, d.name]));
    const byCode = new Map(categories.map((c) => [c.code, c]));
    return {
      me,
      categories,
      departments,
      departmentName: (code) => names.get(code) ?? code,
      defaultDepartment: (category, subcategory) => {
        const c = byCode.get(category);
        const sub = subcategory ? c?.subcategories.find((s) => s.code === subcategory) : undefined;
        return sub?.department ?? c?.department ?? '';
      },
    };
  }, [me, categories, departments]);
}
