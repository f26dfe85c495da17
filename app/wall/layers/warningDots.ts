import { ScatterplotLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import type { DeckSlot } from '@/app/map/core/useDeckLayer';
import type { WarningV1 } from '@/lib/contracts/warnings';
import { LEVEL_RADIUS, LEVEL_RGB } from '../warningLook';

const LEVEL_ORDER = { blue: 0, yellow: 1, orange: 2, red: 3 } as const;

/**
 * Warnings as dots coloured by level, red drawn last so it is never under a blue one. Shared by
 * the wall's and the console's warning layers (one layer per map, one file each).
 */
export function warningDots(id: string, warnings: readonly WarningV1[], scale: number, selected: number | null, onSelect: ((id: number) => void) | null): ScatterplotLayer<WarningV1, DeckSlot> {
  const data = [...warnings].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || Number(a.id === selected) - Number(b.id === selected));
  return new ScatterplotLayer<WarningV1, DeckSlot>({
    id,
    data,
    getPosition: (w) => [w.lon, w.lat],
    getFillColor: (w) => [...LEVEL_RGB[w.level], w.state === 'open' ? 200 : 110],
    getLineColor: (w) => (w.id === selected ? [255, 255, 255, 255] : [...LEVEL_RGB[w.level], 255]),
    getRadius: (w) => (LEVEL_RADIUS[w.level] + (w.id === selected ? 4 : 0)) * scale,
    getLineWidth: (w) => (w.id === selected ? 4 : 2) * scale,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    stroked: true,
    pickable: onSelect !== null,
    onClick: (info: PickingInfo<WarningV1>) => {
      if (!info.object || !onSelect) return false;
      onSelect(info.object.id);
      return true;
    },
    updateTriggers: { getLineColor: selected, getRadius: [scale, selected], getLineWidth: [scale, selected] },
  });
}
