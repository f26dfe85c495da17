import type { Datum } from '@/lib/contracts/master';
import type { Residency } from '@/lib/departments';
import type { Role } from '@/lib/roles';
import type { UnitKind } from '@/lib/units';

/*
 * What the master-data tabs read back from the server. The writes go through the zod contracts
 * of lib/contracts/master; these are the rows the list endpoints answer, as the page uses them.
 */

type Ring = [number, number][];
export type Geometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] } | { type: 'Point'; coordinates: [number, number] };

export interface Feature<P> {
  geometry: Geometry;
  properties: P;
}
export interface Collection<P> {
  features: Feature<P>[];
}

export interface RegionProps {
  code: string;
  name: string;
  parentCode: string | null;
}

export interface StationProps {
  id: number;
  code: string;
  name: string;
  townCode: string;
  villageCodes: string[];
}

export interface Department {
  code: string;
  name: string;
}

export interface StationSetup {
  station: StationProps & { lon: number; lat: number };
  departments: (Department & { residency: Residency })[];
  rotations: { id: number; department: string; startsAt: string; endsAt: string }[];
  roster: { day: string; department: string; personId: number; name: string }[];
}

export interface AccountRow {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
}

export interface PersonRow {
  id: number;
  name: string;
  /** Full or masked (138****5678), as the server decides for the reader. */
  phone: string | null;
  stationId: number | null;
  department: string | null;
  roles: { role: Role; gridCode: string | null }[];
  accounts: AccountRow[];
}

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  mobility: 'foot' | 'vehicle';
  isTeam: boolean;
  stationId: number;
  personId: number | null;
  department: string | null;
  gridCode: string | null;
  lastSeenAt: string | null;
}

/** A device token, wall display or API key: the secret itself is never listed, only when it was used. */
export interface SecretRow {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export interface DeviceTokenRow extends SecretRow {
  unitId: number | null;
  unitCode: string | null;
  stationId: number | null;
  /** The datum it reports in (issue 12). */
  datum: Datum;
}
export interface DisplayRow extends SecretRow {
  stationId: number | null;
}
export interface ApiKeyRow extends SecretRow {
  source: string;
}
