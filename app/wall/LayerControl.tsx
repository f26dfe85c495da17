'use client';

import type { CSSProperties } from 'react';
import { HEAT_WINDOWS } from '@/app/live/schemas';
import { INCIDENT_SEVERITIES } from '@/lib/contracts/live';
import { UNIT_KINDS, UNIT_KIND_LABEL } from '@/lib/units';
import { HEAT_WINDOW_LABEL, type Overlays } from './overlays';
import { css, KIND_RGB, SEVERITY_LABEL, SEVERITY_RGB, STAGE_LABEL } from './palette';
import { COVERAGE_LEGEND } from '@/lib/coverage/figures';
import styles from './wall.module.css';

type Props = { overlays: Overlays; onChange: (next: Overlays) => void };

const TOGGLES: { key: 'units' | 'trails' | 'incidents' | 'heat' | 'coverage' | 'warnings'; label: string }[] = [
  { key: 'units', label: '力量位置' },
  { key: 'trails', label: '10分钟轨迹' },
  { key: 'incidents', label: '事件' },
  { key: 'heat', label: '事件热力' },
  { key: 'coverage', label: '巡查覆盖' },
  { key: 'warnings', label: '预警' },
];

const swatch = (color: string): CSSProperties => ({ '--swatch': color } as CSSProperties);

/** Layer switches and the key to the live layers' colours and shapes. */
export default function LayerControl({ overlays, onChange }: Props) {
  return (
    <div className={styles.layerControl} data-testid="layer-control">
      <fieldset className={styles.toggles}>
        <legend>图层</legend>
        {TOGGLES.map(({ key, label }) => (
          <label key={key}>
            <input type="checkbox" checked={overlays[key]} onChange={(e) => onChange({ ...overlays, [key]: e.target.checked })} />
            {label}
          </label>
        ))}
        <div className={styles.segmented} role="radiogroup" aria-label="热力时间范围" data-disabled={!overlays.heat}>
          {HEAT_WINDOWS.map((w) => (
            <button
              key={w}
              type="button"
              role="radio"
              aria-checked={overlays.heatWindow === w}
              disabled={!overlays.heat}
              onClick={() => onChange({ ...overlays, heatWindow: w })}
            >
              {HEAT_WINDOW_LABEL[w]}
            </button>
          ))}
        </div>
      </fieldset>

      {overlays.units && (
        <ul className={styles.key} aria-label="力量图例">
          {UNIT_KINDS.map((k) => (
            <li key={k} data-shape="dot" style={swatch(css(KIND_RGB[k]))}>{UNIT_KIND_LABEL[k]}</li>
          ))}
          <li data-shape="dot" style={swatch('#d7e7f7')}>在线</li>
          <li data-shape="faded" style={swatch('#d7e7f7')}>信号弱</li>
          <li data-shape="hollow" style={swatch('#d7e7f7')}>离线</li>
        </ul>
      )}
      {overlays.coverage && (
        <ul className={styles.key} aria-label="巡查覆盖图例">
          {COVERAGE_LEGEND.map((l) => <li key={l.label} data-shape="dot" style={swatch(l.colour)}>{l.label}</li>)}
        </ul>
      )}
      {overlays.incidents && (
        <ul className={styles.key} aria-label="事件图例">
          {INCIDENT_SEVERITIES.map((s) => (
            <li key={s} data-shape="dot" style={swatch(css(SEVERITY_RGB[s]))}>{SEVERITY_LABEL[s]}</li>
          ))}
          <li data-shape="ring" style={swatch('#d7e7f7')}>{STAGE_LABEL.waiting}</li>
          <li data-shape="dot" style={swatch('#d7e7f7')}>{STAGE_LABEL.working}</li>
          <li data-shape="dot" style={swatch('rgb(140 155 175 / 0.5)')}>{STAGE_LABEL.done}</li>
          <li data-shape="ring" style={swatch('rgb(255 40 60)')}>超期</li>
        </ul>
      )}
    </div>
  );
}
