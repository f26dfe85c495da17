'use client';

import { useEffect, useRef } from 'react';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import { useMap } from '@/app/map/core/context';
import type { DeckSlot } from '@/app/map/core/useDeckLayer';
import type { LiveStore } from '@/app/live/store';
import { LIVE, STALE, type UnitTable } from '@/app/live/unitTable';
import { KIND_RGB_BY_INDEX } from '../palette';

const ID = 'units';
const RING_ID = 'units-selected';

type Binary = { value: Float32Array | Uint8ClampedArray; size: number };

type Props = {
  store: LiveStore;
  visible: boolean;
  /** Unit id whose card is open. */
  selected: number | null;
  onSelect: (unitId: number) => void;
};

/*
 * Live: solid in the kind's colour with a light rim. Stale (silent > 2 min): faded. Offline
 * (> 10 min): hollow, the rim alone, so a wall full of dead radios still shows where they were.
 */
function paint(t: UnitTable, fill: Uint8ClampedArray, line: Uint8ClampedArray): void {
  for (let slot = 0, j = 0; slot < t.count; slot++, j += 4) {
    const [r, g, b] = KIND_RGB_BY_INDEX[t.kind[slot]];
    const state = t.state[slot];
    fill[j] = r; fill[j + 1] = g; fill[j + 2] = b;
    if (state === LIVE) {
      fill[j + 3] = 240;
      line[j] = 235; line[j + 1] = 245; line[j + 2] = 255; line[j + 3] = 210;
    } else if (state === STALE) {
      fill[j + 3] = 80;
      line[j] = r; line[j + 1] = g; line[j + 2] = b; line[j + 3] = 170;
    } else {
      fill[j + 3] = 0;
      line[j] = r; line[j + 1] = g; line[j + 2] = b; line[j + 3] = 120;
    }
  }
}

/**
 * Every unit that has reported, drawn from the store's typed columns as deck.gl binary attributes.
 * Each animation frame glides the dots towards their latest fix; a frame with nothing moving and
 * no colour change hands deck.gl nothing new. Only the attribute that changed gets a new wrapper
 * object, so deck.gl re-uploads that one buffer alone.
 */
export default function UnitsLayer({ store, visible, selected, onSelect }: Props) {
  const { setDeckLayer, scale } = useMap();
  const onSelectRef = useRef(onSelect);
  const selectedRef = useRef(selected);
  useEffect(() => {
    onSelectRef.current = onSelect;
    selectedRef.current = selected;
  }, [onSelect, selected]);

  useEffect(() => {
    if (!visible) return;
    const t = store.table;
    let positions = new Float32Array(0);
    let fill = new Uint8ClampedArray(0);
    let line = new Uint8ClampedArray(0);
    let positionAttr: Binary = { value: positions, size: 2 };
    let fillAttr: Binary = { value: fill, size: 4 };
    let lineAttr: Binary = { value: line, size: 4 };
    let seenPos = -1, seenStyle = -1, seenCount = -1, gliding = false;
    const ring = new Float32Array(2);
    let ringSlot = -1;

    const onClick = (info: PickingInfo) => {
      if (info.index < 0 || info.index >= t.count) return false;
      onSelectRef.current(t.ids[info.index]);
      return true;
    };

    const frame = (now: number) => {
      raf = requestAnimationFrame(frame);
      let dirty = false;
      if (positions.length < t.capacity * 2) {
        positions = new Float32Array(t.capacity * 2);
        fill = new Uint8ClampedArray(t.capacity * 4);
        line = new Uint8ClampedArray(t.capacity * 4);
        seenPos = seenStyle = -1;
      }
      if (t.posVersion !== seenPos || gliding) {
        seenPos = t.posVersion;
        gliding = t.interpolate(now, positions);
        positionAttr = { value: positions, size: 2 };
        dirty = true;
      }
      if (t.styleVersion !== seenStyle) {
        seenStyle = t.styleVersion;
        paint(t, fill, line);
        fillAttr = { value: fill, size: 4 };
        lineAttr = { value: line, size: 4 };
        dirty = true;
      }
      if (t.count !== seenCount) {
        seenCount = t.count;
        dirty = true;
      }
      if (dirty) {
        setDeckLayer(ID, new ScatterplotLayer<unknown, DeckSlot>({
          id: ID,
          data: { length: t.count, attributes: { getPosition: positionAttr, getFillColor: fillAttr, getLineColor: lineAttr } },
          radiusUnits: 'pixels',
          getRadius: 5 * scale,
          stroked: true,
          lineWidthUnits: 'pixels',
          getLineWidth: 1.2 * scale,
          pickable: true,
          onClick,
        }));
      }

      const id = selectedRef.current;
      const slot = id === null ? -1 : t.slotOf(id);
      if (slot !== ringSlot || (slot >= 0 && dirty)) {
        ringSlot = slot;
        if (slot < 0) {
          setDeckLayer(RING_ID, null);
        } else {
          ring[0] = positions[slot * 2];
          ring[1] = positions[slot * 2 + 1];
          setDeckLayer(RING_ID, new ScatterplotLayer<unknown, DeckSlot>({
            id: RING_ID,
            data: { length: 1, attributes: { getPosition: { value: ring, size: 2 } } },
            radiusUnits: 'pixels',
            getRadius: 11 * scale,
            filled: false,
            stroked: true,
            lineWidthUnits: 'pixels',
            getLineWidth: 2.5 * scale,
            getLineColor: [255, 255, 255, 230],
          }));
        }
      }
    };
    let raf = requestAnimationFrame(frame);
    return () => {
      cancelAnimationFrame(raf);
      setDeckLayer(ID, null);
      setDeckLayer(RING_ID, null);
    };
  }, [store, visible, scale, setDeckLayer]);

  return null;
}
