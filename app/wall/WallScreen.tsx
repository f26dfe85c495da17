'use client';

import MapScreen from './MapScreen';
import CockpitScreen from './CockpitScreen';
import WarningsScreen from './WarningsScreen';
import { useKiosk } from './kiosk/useKiosk';
import type { WallScreenName } from './screens';

/** One screen of the wall (issue 13), with the kiosk behaviour every screen shares. */
export default function WallScreen({ screen }: { screen: WallScreenName }) {
  const kiosk = useKiosk();
  switch (screen) {
    case 'cockpit': return <CockpitScreen kiosk={kiosk} />;
    case 'warnings': return <WarningsScreen kiosk={kiosk} />;
    default: return <MapScreen kiosk={kiosk} />;
  }
}
