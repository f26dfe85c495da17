import { DISPUTE_KIND_LABEL, type CitizenServicesV1, type DisputeKind, type PublishedReportV1 } from '@/lib/contracts/citizen';
import { CITIZEN_KIND_CATEGORIES } from '@/lib/categories';
import type { AppContext } from '../context';

/** What /m offers (issue 14): the categories a resident reports under (not 咨询 or 投诉建议: their kinds file them), dispute kinds, towns and villages. */
export async function citizenServices(app: Pick<AppContext, 'db' | 'reference'>): Promise<CitizenServicesV1> {
  const ref = await app.reference.get();
  const all = [...ref.categories.values()].filter((c) => c.active);
  const categories = all
    .filter((c) => c.parentCode === null && !CITIZEN_KIND_CATEGORIES.includes(c.code))
    .map((c) => ({
      code: c.code,
      label: c.label,
      subcategories: all.filter((s) => s.parentCode === c.code).map((s) => ({ code: s.code, label: s.label })),
    }));
  const { rows } = await app.db.query<{ code: string; name: string; villages: { code: string; name: string }[] }>(
    `SELECT t.code, t.name,
            coalesce((SELECT json_agg(json_build_object('code', v.code, 'name', v.name) ORDER BY v.code)
                        FROM regions v WHERE v.level = 'village' AND v.parent_code = t.code), '[]') AS villages
       FROM regions t WHERE t.level = 'town' ORDER BY t.code`,
  );
  return {
    categories,
    disputeKinds: (Object.keys(DISPUTE_KIND_LABEL) as DisputeKind[]).map((code) => ({ code, label: DISPUTE_KIND_LABEL[code] })),
    towns: rows,
  };
}

export interface PublishedCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: PublishedReportV1 }[];
}

/**
 * S14 opt-in: the closed citizens' reports of the stations that chose to publish them, of the last
 * 12 months; category, month and a point rounded to 3 decimals (about 100 m), nothing else.
 */
export async function publishedReports(app: Pick<AppContext, 'db'>): Promise<PublishedCollection> {
  const { rows } = await app.db.query<PublishedReportV1>(
    `SELECT e.category, coalesce(c.label, e.category) AS "categoryLabel",
            to_char(e.closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS "closedMonth",
            round(ST_X(e.location)::numeric, 3)::float8 AS lon, round(ST_Y(e.location)::numeric, 3)::float8 AS lat
       FROM events e JOIN stations s ON s.id = e.station_id AND s.publish_closed_reports
       LEFT JOIN categories c ON c.code = e.category
      WHERE e.reported_by_citizen AND e.kind = 'problem' AND e.state IN ('closed', 'rated')
        AND e.closed_at > now() - interval '12 months' AND e.location IS NOT NULL
      ORDER BY e.closed_at DESC LIMIT 5000`,
  );
  return {
    type: 'FeatureCollection',
    features: rows.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: p })),
  };
}
