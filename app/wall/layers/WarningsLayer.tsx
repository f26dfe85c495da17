'use client';

import { useMemo } from 'react';
import { useMap } from '@/app/map/core/context';
import { useDeckLayer } from '@/app/map/core/useDeckLayer';
import type { WarningV1 } from '@/lib/contracts/warnings';
import { warningDots } from './warningDots';

const ID = 'wall-warnings';

type Props = { warnings: readonly WarningV1[]; visible: boolean; selected?: number | null };

/** The wall's active early warnings (S9 item 4): a dot per warning, coloured by level. Nothing to click: a wall has no pointer. */
export default function WarningsLayer({ warnings, visible, selected = null }: Props) {
  const { scale } = useMap();
  const layer = useMemo(() => (visible ? warningDots(ID, warnings, scale, selected, null) : null), [warnings, visible, scale, selected]);
  useDeckLayer(ID, layer);
  return null;
}
