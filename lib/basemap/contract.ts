import { z } from 'zod';

/*
 * What GET /api/v1/basemap answers (issue 13): the one thing the map needs to draw a basemap under
 * our layers. The server builds it from the deployment's settings; the client parses it with the
 * same schema, so a change of shape is a change here.
 */

/** The datums a basemap may be drawn in; our own data is WGS-84 throughout. */
export const DATUMS = ['wgs84', 'cgcs2000', 'gcj02'] as const;
export type Datum = (typeof DATUMS)[number];

/** How the attribution names each datum. */
export const DATUM_LABEL: Record<Datum, string> = {
  wgs84: 'WGS-84',
  cgcs2000: 'CGCS2000',
  gcj02: 'GCJ-02',
};

/** Where our own origin serves the configured PMTiles file. */
export const PMTILES_PATH = '/api/v1/basemap/tiles.pmtiles';

export const BasemapAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none'), url: z.null(), datum: z.null(), attribution: z.null() }),
  z.object({ kind: z.literal('xyz'), url: z.string(), datum: z.enum(DATUMS), attribution: z.string() }),
  z.object({ kind: z.literal('pmtiles'), url: z.literal(PMTILES_PATH), datum: z.enum(DATUMS), attribution: z.string() }),
]);
export type BasemapAnswer = z.infer<typeof BasemapAnswer>;

export const NO_BASEMAP: BasemapAnswer = { kind: 'none', url: null, datum: null, attribution: null };

/** The line drawn in the map's corner: what the basemap is and in which datum (issue 13: "the datum stated"). */
export function attributionLine(b: BasemapAnswer): string | null {
  if (b.kind === 'none') return null;
  return `底图：${b.attribution} · 坐标系 ${DATUM_LABEL[b.datum]}`;
}
