'use client';

import type { KpiCode, KpiValue } from '@/lib/contracts/kpi';
import { KPIS } from '@/lib/analytics/kpis';
import { changeOf, formatValue, unitWord } from './format';
import styles from './cockpit.module.css';

type Props = {
  values: readonly KpiValue[];
  /** The tile whose events are listed. */
  selected: KpiCode | null;
  /** null: tiles are figures only (the wall: no pointer, nothing to click). */
  onOpen: ((code: KpiCode) => void) | null;
};

const ARROW = { up: '▲', down: '▼', flat: '–' } as const;

/** The figures, each with the change against the previous period and its 口径 (S13). */
export default function KpiTiles({ values, selected, onOpen }: Props) {
  return (
    <ul className={styles.tiles} aria-label="指标">
      {values.map((v) => (
        <li key={v.code}>
          <Tile value={v} selected={selected === v.code} onOpen={onOpen} />
        </li>
      ))}
    </ul>
  );
}

function Tile({ value: v, selected, onOpen }: { value: KpiValue; selected: boolean; onOpen: Props['onOpen'] }) {
  const def = KPIS[v.code];
  const change = changeOf(v.value, v.previous, def.unit, def.better);
  const tipId = `kpi-def-${v.code}`;
  const body = (
    <>
      <span className={styles.tileName}>{def.name}</span>
      <span className={styles.tileValue}>
        <b data-testid={`kpi-value-${v.code}`} data-value={v.value ?? ''}>{formatValue(v.value, def.unit)}</b>
        {v.value !== null && unitWord(def.unit) && <small>{unitWord(def.unit)}</small>}
      </span>
      {v.value === null ? (
        <span className={styles.tileNote}>暂无数据</span>
      ) : change ? (
        <span className={styles.tileChange} data-tone={change.tone} aria-label={`较上期${change.direction === 'flat' ? '持平' : change.text}`}>
          <i aria-hidden>{ARROW[change.direction]}</i> {change.direction === 'flat' ? '较上期持平' : `较上期 ${change.text}`}
        </span>
      ) : (
        <span className={styles.tileNote}>上期无可比数据</span>
      )}
      {def.unit === 'ratio' && v.numerator !== null && v.denominator !== null && (
        <span className={styles.tileParts}>
          {v.numerator.toLocaleString('zh-CN')} / {v.denominator.toLocaleString('zh-CN')}
        </span>
      )}
      {/* The 口径: on hover and keyboard focus (CSS), and read out with the tile (aria-describedby). */}
      <span role="tooltip" id={tipId} className={styles.tip}>
        口径：{def.definition}
      </span>
    </>
  );
  // Only a figure counted of events has a list behind it (every figure on screen traced to its events).
  if (!onOpen || def.events === 'none') {
    return (
      <div className={styles.tile} data-testid={`kpi-tile-${v.code}`} {...parts(v)} aria-describedby={tipId} tabIndex={onOpen ? 0 : undefined}>
        {body}
      </div>
    );
  }
  return (
    <button
      type="button"
      className={styles.tile}
      data-testid={`kpi-tile-${v.code}`}
      {...parts(v)}
      aria-describedby={tipId}
      aria-pressed={selected}
      onClick={() => onOpen(v.code)}
    >
      {body}
    </button>
  );
}

/** The counts a figure was made of, for tests and tools that trace it to its events. */
function parts(v: KpiValue): Record<string, string> {
  return { 'data-numerator': String(v.numerator ?? ''), 'data-denominator': String(v.denominator ?? '') };
}
