import { PLACE_CATEGORY_LABEL } from '@/lib/contracts/place';
import type { Tx } from '../db/pool';

/** Two key places per village at reproducible random points (S3: patrolled monthly). */
export async function seedPlaces(tx: Tx): Promise<void> {
  await tx.query(
    `INSERT INTO places (name, category, risk_level, grid_code, location)
     SELECT v.name || ($1::json->>cat), cat,
            (ARRAY['low', 'low', 'medium', 'medium', 'high', 'major'])[1 + abs(h) % 6], g.code, pt
       FROM regions v
       CROSS JOIN LATERAL (SELECT (ST_Dump(ST_GeneratePoints(v.geom, 2, 7))).geom AS pt) AS pts
       CROSS JOIN LATERAL (SELECT hashtext(ST_AsText(pt)) AS h) AS hash
       CROSS JOIN LATERAL (SELECT ($2::text[])[1 + abs(h / 7) % array_length($2::text[], 1)] AS cat) AS c
       CROSS JOIN LATERAL (SELECT code FROM regions g
                            WHERE g.level = 'grid' AND g.parent_code = v.code AND ST_Intersects(g.geom, pt)
                            LIMIT 1) AS g
      WHERE v.level = 'village'`,
    [JSON.stringify(PLACE_CATEGORY_LABEL), Object.keys(PLACE_CATEGORY_LABEL)],
  );
}
