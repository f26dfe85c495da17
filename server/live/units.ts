import type { UnitKind, UnitStatus } from '@/lib/units';
import type { Db } from '../db/pool';

export interface UnitMeta {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  status: UnitStatus;
  stationId: number | null;
  isTeam: boolean;
}

/** Every dispatchable unit by code and id, reloaded now and then so new units become known. */
export class UnitDirectory {
  private byCode = new Map<string, UnitMeta>();
  private byId = new Map<number, UnitMeta>();

  constructor(private readonly db: Db) {}

  async load(): Promise<void> {
    const { rows } = await this.db.query<UnitMeta>(
      `SELECT id, code, name, kind, status, station_id AS "stationId", is_team AS "isTeam" FROM units ORDER BY id`,
    );
    this.byCode = new Map(rows.map((u) => [u.code, u]));
    this.byId = new Map(rows.map((u) => [u.id, u]));
  }

  idOf(code: string): number | undefined {
    return this.byCode.get(code)?.id;
  }

  get(id: number): UnitMeta | undefined {
    return this.byId.get(id);
  }

  all(): UnitMeta[] {
    return [...this.byId.values()];
  }
}
