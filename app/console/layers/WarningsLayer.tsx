'use client';

import { useMemo } from 'react';
import { useMap } from '@/app/map/core/context';
import { useDeckLayer } from '@/app/map/core/useDeckLayer';
import type { WarningV1 } from '@/lib/contracts/warnings';
import { warningDots } from '@/app/wall/layers/warningDots';

const ID = 'console-warnings';

type Props = { warnings: readonly WarningV1[]; selected: number | null; onSelect: (id: number) => void };

/** The console's warnings (S9 item 4): a click picks the warning in the list beside the map. */
export default function WarningsLayer({ warnings, selected, onSelect }: Props) {
  const { scale } = useMap();
  const layer = useMemo(() => warningDots(ID, warnings, scale, selected, onSelect), [warnings, scale, selected, onSelect]);
  useDeckLayer(ID, layer);
  return null;
}
