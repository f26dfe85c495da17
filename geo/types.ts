/** Plain coordinate arrays: the pipeline works on these and only wraps them in GeoJSON at the edges. */
export type Pt = [number, number];
export type Ring = Pt[];
export type Poly = Ring[];
export type MultiPoly = Poly[];

export type AreaLevel = 'district' | 'town' | 'village' | 'grid';

export interface AreaProps {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  households: number;
  population: number;
}

export interface AreaUnit {
  props: AreaProps;
  geometry: MultiPoly;
}

export type StationUnitKind = 'grid_station' | 'mediation_centre' | 'police_station';

export interface StationProps {
  code: string;
  name: string;
  townCode: string;
  villageCodes: string[];
  units: { kind: StationUnitKind; name: string }[];
}

export interface Station {
  props: StationProps;
  point: Pt;
}
