'use client';

import type { DeviceTokenRow, DisplayRow, PersonRow, UnitRow } from './masterTypes';
import DevicesSecrets from './DevicesSecrets';
import { useStationPick } from './StationPick';
import UnitsSection from './UnitsSection';
import { useLoad } from './useLoad';
import styles from './admin.module.css';

/** A station's units, the device tokens that report their positions, and its wall screens. */
export default function DevicesTab({ stationId }: { stationId: number | null }) {
  const pick = useStationPick(stationId);
  const id = pick.stationId;
  const units = useLoad<UnitRow[]>(id ? `/api/v1/admin/units?station=${id}` : null);
  const people = useLoad<PersonRow[]>(id ? `/api/v1/people?station=${id}` : null);
  const tokens = useLoad<DeviceTokenRow[]>('/api/v1/admin/device-tokens');
  const displays = useLoad<DisplayRow[]>('/api/v1/admin/displays');
  const error = units.error || people.error || tokens.error || displays.error;
  const ready = id && units.data && people.data && tokens.data && displays.data;

  return (
    <>
      {pick.picker}
      {error && <p className={styles.formError} role="alert">加载失败：{error}</p>}
      {ready ? (
        <>
          <UnitsSection stationId={id} units={units.data!} people={people.data!} reload={units.reload} />
          <DevicesSecrets
            stationId={id}
            district={stationId === null}
            units={units.data!}
            tokens={tokens.data!.filter((t) => t.stationId === id)}
            displays={displays.data!.filter((d) => d.stationId === id || (stationId === null && d.stationId === null))}
            reload={() => {
              tokens.reload();
              displays.reload();
            }}
          />
        </>
      ) : (
        id && !error && <p className={styles.loading}>加载中…</p>
      )}
    </>
  );
}
