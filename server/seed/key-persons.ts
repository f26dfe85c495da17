import { idCheckChar, KEY_PERSON_CATEGORIES, type KeyPersonCategory } from '@/lib/contracts/keyPerson';
import { pick, seededRandom } from '@/lib/random';
import type { Tx } from '../db/pool';
import { personName, phone } from './names';

// How common each category is in a rural district's registers, roughly: the elderly living alone and hardship households lead.
const WEIGHTED: KeyPersonCategory[] = [
  'elderly_alone', 'elderly_alone', 'elderly_alone', 'hardship', 'hardship', 'disabled', 'disabled', 'left_behind_child', 'left_behind_child',
  'mental_disorder', 'released', 'community_correction', 'drug_user', 'petitioner',
];
// Birth years by category, so the demo's ID numbers read right (a left-behind child is a child).
const BORN: Partial<Record<KeyPersonCategory, [number, number]>> = { elderly_alone: [1932, 1952], left_behind_child: [2010, 2019] };
const NOTES: Partial<Record<KeyPersonCategory, string>> = {
  mental_disorder: '按时服药，家属监护',
  community_correction: '每月到司法所报到',
  elderly_alone: '子女在外地务工',
  left_behind_child: '随祖父母生活',
};

interface Spec { grid: string; people: Record<string, unknown>[] }

/** A valid 18-digit ID number of the district (330503) for a birth date. */
function idNumber(rand: () => number, year: number): string {
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const first = `330503${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
  return first + idCheckChar(first);
}

/**
 * Two to four key persons per grid of the demo (S3: each visited by its gridder monthly), the same
 * on every run: names, numbers and categories from lib/random, homes from PostGIS's seeded points
 * inside the grid. Production seeds nothing (server/seed/demo.ts runs only for the demo).
 */
export async function seedKeyPersons(tx: Tx): Promise<number> {
  const { rows: grids } = await tx.query<{ code: string; village: string }>(
    `SELECT g.code, v.name AS village FROM regions g JOIN regions v ON v.code = g.parent_code WHERE g.level = 'grid' ORDER BY g.code`,
  );
  const rand = seededRandom(120012);
  const specs: Spec[] = grids.map((g) => ({
    grid: g.code,
    people: Array.from({ length: 2 + Math.floor(rand() * 3) }, () => {
      const category = pick(rand, WEIGHTED);
      const [from, to] = BORN[category] ?? [1955, 2000];
      return {
        name: personName(rand),
        idNumber: idNumber(rand, from + Math.floor(rand() * (to - from + 1))),
        phone: phone(rand),
        category,
        visitsPerMonth: KEY_PERSON_CATEGORIES[category].visitsPerMonth,
        address: `${g.village}${1 + Math.floor(rand() * 12)}组${1 + Math.floor(rand() * 60)}号`,
        note: rand() < 0.5 ? (NOTES[category] ?? null) : null,
      };
    }),
  }));
  const { rowCount } = await tx.query(
    `WITH spec AS (SELECT s->>'grid' AS grid, s->'people' AS people FROM json_array_elements($1::json) AS s),
          pts AS (SELECT sp.grid, d.path[1] AS i, d.geom FROM spec sp JOIN regions g ON g.code = sp.grid,
                         LATERAL ST_Dump(ST_GeneratePoints(g.geom, json_array_length(sp.people), 120012)) AS d)
     INSERT INTO key_persons (name, id_number, phone, category, visits_per_month, address, location, grid_code, note)
     SELECT p->>'name', p->>'idNumber', p->>'phone', p->>'category', (p->>'visitsPerMonth')::int, p->>'address', pts.geom, sp.grid, p->>'note'
       FROM spec sp CROSS JOIN LATERAL json_array_elements(sp.people) WITH ORDINALITY AS x(p, i)
       JOIN pts ON pts.grid = sp.grid AND pts.i = x.i
      ORDER BY sp.grid, x.i`,
    [JSON.stringify(specs)],
  );
  return rowCount ?? 0;
}
