import type { IncidentSeverity } from '@/lib/contracts/live';
import type { TimeLimitRow } from '@/lib/events/deadlines';
import type { VillageName } from '@/lib/geo/address';
import type { HolidayCalendar } from '@/lib/time/workdays';
import type { Db } from '../db/pool';

export interface CategoryRow {
  code: string;
  parentCode: string | null;
  label: string;
  department: string | null;
  severity: IncidentSeverity;
  sort: number;
  active: boolean;
}

export interface Reference {
  categories: Map<string, CategoryRow>;
  limits: TimeLimitRow[];
  calendar: HolidayCalendar;
  departments: Map<string, string>;
  villages: VillageName[];
  /** Joint-handling rules by category code (issue 5, S12). */
  jointRules: Map<string, string[]>;
}

/**
 * Taxonomy, time limits, the holiday table, departments and village names: read on every
 * decision, changed by an administrator now and then. Cached for a short while per process;
 * an edit here invalidates at once, other processes catch up within MAX_AGE_MS.
 */
export class ReferenceCache {
  static MAX_AGE_MS = 15_000;
  private value: Reference | null = null;
  private loadedAt = 0;
  private loading: Promise<Reference> | null = null;
  /** Bumped by invalidate(): a load that began before an edit must not store what it read. */
  private generation = 0;

  constructor(private readonly db: Db) {}

  invalidate(): void {
    this.generation += 1;
    this.value = null;
    this.loading = null;
  }

  async get(): Promise<Reference> {
    if (this.value && Date.now() - this.loadedAt < ReferenceCache.MAX_AGE_MS) return this.value;
    if (this.loading) return this.loading;
    const generation = this.generation;
    const loading = load(this.db).then(
      (v) => {
        if (generation === this.generation) {
          this.value = v;
          this.loadedAt = Date.now();
        }
        if (this.loading === loading) this.loading = null;
        return v;
      },
      (err: unknown) => {
        if (this.loading === loading) this.loading = null;
        throw err;
      },
    );
    this.loading = loading;
    return loading;
  }
}

async function load(db: Db): Promise<Reference> {
  const categories = await db.query<CategoryRow>(
    `SELECT code, parent_code AS "parentCode", label, department_code AS department, severity, sort, active FROM categories ORDER BY sort, code`,
  );
  const limits = await db.query<TimeLimitRow>(
    `SELECT category_code AS category, severity, accept_yellow AS "acceptYellow", accept_red AS "acceptRed",
            handle_yellow AS "handleYellow", handle_red AS "handleRed" FROM time_limits`,
  );
  const days = await db.query<{ day: string; kind: 'holiday' | 'workday' }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM holidays`);
  const departments = await db.query<{ code: string; name: string }>(`SELECT code, name FROM departments ORDER BY id`);
  const villages = await db.query<VillageName>(
    `SELECT v.code, v.name, t.name AS "townName" FROM regions v JOIN regions t ON t.code = v.parent_code WHERE v.level = 'village'`,
  );
  const joint = await db.query<{ code: string; forces: string[] }>(`SELECT category_code AS code, forces FROM joint_rules`);
  return {
    categories: new Map(categories.rows.map((c) => [c.code, c])),
    limits: limits.rows,
    calendar: {
      holidays: new Set(days.rows.filter((d) => d.kind === 'holiday').map((d) => d.day)),
      workdays: new Set(days.rows.filter((d) => d.kind === 'workday').map((d) => d.day)),
    },
    departments: new Map(departments.rows.map((d) => [d.code, d.name])),
    villages: villages.rows,
    jointRules: new Map(joint.rows.map((r) => [r.code, r.forces])),
  };
}
