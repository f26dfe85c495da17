import { seededRandom } from '@/lib/random';
import type { Tx } from '../db/pool';
import { personName } from './names';

/*
 * Per demo station its 调解工作室 (S4: branded mediation studios) and mediators (issue 14 point 5):
 * the station's seeded people's mediators (people.ts, role 'mediator') in its people's mediation
 * studio, and a lawyer and a 乡贤 without accounts; every other station also has a second,
 * branded studio of 乡贤 (the 老娘舅 of the Huzhou countryside) where the 乡贤 sits. Idempotent:
 * a name is unique within its station, so running it again adds nothing.
 */

const SUFFIX = '社会治理联动工作站';
// Disputes a lawyer takes and those a 乡贤 talks through (DISPUTE_KIND_LABEL in lib/contracts/citizen.ts).
const LAWYER_KINDS = ['compensation', 'labour', 'property', 'land'];
const ELDER_KINDS = ['family', 'neighbour', 'homestead'];

interface Extra { stationId: number; name: string; kind: 'lawyer' | 'xiangxian'; phone: string }

export async function seedMediation(tx: Tx): Promise<{ studios: number; mediators: number }> {
  const { rows: stations } = await tx.query<{ id: number; name: string }>(`SELECT id, name FROM stations ORDER BY id`);
  const area = (name: string) => (name.endsWith(SUFFIX) ? name.slice(0, -SUFFIX.length) : name);
  const studios = stations.flatMap((s, i) => [
    { stationId: s.id, name: `${area(s.name)}人民调解工作室`, address: `${area(s.name)}联动工作站一楼`, kinds: [] as string[] },
    ...(i % 2 === 0 ? [{ stationId: s.id, name: `${area(s.name)}“老娘舅”调解工作室`, address: `${area(s.name)}文化礼堂`, kinds: ELDER_KINDS }] : []),
  ]);
  const s = await tx.query(
    `INSERT INTO mediation_studios (station_id, name, address, kinds)
     SELECT (x->>'stationId')::int, x->>'name', x->>'address', ARRAY(SELECT json_array_elements_text(x->'kinds'))
       FROM json_array_elements($1::json) AS x
     ON CONFLICT (station_id, name) DO NOTHING`,
    [JSON.stringify(studios)],
  );
  // The station's people's mediators (with the demo 'mediator' account in the first station): their cases on the phone.
  const m = await tx.query(
    `INSERT INTO mediators (station_id, studio_id, person_id, name, kind, phone)
     SELECT r.station_id,
            (SELECT min(st.id) FROM mediation_studios st WHERE st.station_id = r.station_id AND st.name LIKE '%人民调解工作室'),
            p.id, p.name, 'people', p.phone
       FROM person_roles r JOIN people p ON p.id = r.person_id
      WHERE r.role = 'mediator' AND r.station_id IS NOT NULL
      ORDER BY r.station_id, p.id
     ON CONFLICT (station_id, name) DO NOTHING`,
  );
  // Without accounts: names from a fixed stream, phones from the 1380000xxxx block no one is given.
  const rand = seededRandom(14_020);
  const extras: Extra[] = stations.flatMap((st, i) => [
    { stationId: st.id, name: personName(rand), kind: 'lawyer' as const, phone: `1380000${String(2 * i).padStart(4, '0')}` },
    { stationId: st.id, name: personName(rand), kind: 'xiangxian' as const, phone: `1380000${String(2 * i + 1).padStart(4, '0')}` },
  ]);
  const x = await tx.query(
    `INSERT INTO mediators (station_id, studio_id, name, kind, kinds, phone)
     SELECT (x->>'stationId')::int,
            -- The 乡贤 sits in the branded studio where there is one; the lawyer in the people's studio.
            (SELECT st.id FROM mediation_studios st WHERE st.station_id = (x->>'stationId')::int
              ORDER BY (x->>'kind' = 'xiangxian' AND st.name LIKE '%老娘舅%') DESC, st.id LIMIT 1),
            x->>'name', x->>'kind',
            CASE x->>'kind' WHEN 'lawyer' THEN $2::text[] ELSE $3::text[] END, x->>'phone'
       FROM json_array_elements($1::json) AS x
     ON CONFLICT (station_id, name) DO NOTHING`,
    [JSON.stringify(extras), LAWYER_KINDS, ELDER_KINDS],
  );
  return { studios: s.rowCount ?? 0, mediators: (m.rowCount ?? 0) + (x.rowCount ?? 0) };
}
