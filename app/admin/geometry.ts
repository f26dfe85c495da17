import type { Geometry } from './masterTypes';

/**
 * The area-weighted centre of some polygons, in degrees: a fair first guess for a station's
 * location from the villages it covers (planar arithmetic is fine at a village's scale). Null when
 * there is nothing with an area.
 */
export function centroid(geometries: readonly Geometry[]): { lon: number; lat: number } | null {
  let area = 0;
  let x = 0;
  let y = 0;
  for (const g of geometries) {
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const [outer] of polygons) {
      let a = 0;
      let rx = 0;
      let ry = 0;
      for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
        const cross = outer[j][0] * outer[i][1] - outer[i][0] * outer[j][1];
        a += cross;
        rx += (outer[j][0] + outer[i][0]) * cross;
        ry += (outer[j][1] + outer[i][1]) * cross;
      }
      // Rings may wind either way; each counts by its size.
      const sign = Math.sign(a);
      area += a * sign;
      x += rx * sign;
      y += ry * sign;
    }
  }
  if (Math.abs(area) < 1e-12) return null;
  // Six decimals ≈ 0.1 m, as the server stores it.
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return { lon: round(x / (3 * area)), lat: round(y / (3 * area)) };
}
