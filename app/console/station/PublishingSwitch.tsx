'use client';

import { useState } from 'react';
import { api } from '@/app/admin/api';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';

type Setup = { station: { publishClosedReports?: boolean } };

/**
 * S14 opt-in: the station's closed citizens' reports on the public anonymised map (category, month,
 * a point rounded to ~100 m; no words, no people). Off until a leader turns it on; the server audits
 * each change.
 */
export default function PublishingSwitch({ stationId }: { stationId: number }) {
  const setup = useLoad<Setup>(`/api/v1/stations/${stationId}/setup`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState<boolean | null>(null);
  const on = saved ?? setup.data?.station.publishClosedReports ?? null;

  async function change(next: boolean) {
    setBusy(true);
    setError('');
    // The switch moves at the click; a refusal puts it back and says why.
    setSaved(next);
    try {
      await api.put(`/api/v1/stations/${stationId}/publishing`, { publishClosedReports: next });
    } catch (err) {
      setSaved(!next);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.panel} data-testid="publishing">
      <label>
        <input
          type="checkbox"
          checked={on === true}
          disabled={busy || on === null}
          onChange={(e) => void change(e.target.checked)}
          data-testid="publishing-switch"
        />
        公开已办结的群众反映（匿名地图）
      </label>
      <p className={styles.hint}>开启后，本站已办结的群众上报将以匿名方式（仅类别、月份和约 100 米范围的位置，不含内容和个人信息）显示在公开地图上。</p>
      {(error || setup.error) && <p className={styles.formError} role="alert">{error || setup.error}</p>}
    </div>
  );
}
