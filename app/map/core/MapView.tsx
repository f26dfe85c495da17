'use client';

import 'maplibre-gl/dist/maplibre-gl.css';
import './worker';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Map as MapLibreMap, type LngLatBoundsLike } from 'maplibre-gl';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { MapContext, type MapContextValue } from './context';
import { DeckRegistry } from './deckRegistry';
import { baseStyle, CJK_FONT_FAMILY } from './style';
import { useUiScale } from './useUiScale';
import BasemapLayer from './basemap/BasemapLayer';

const PICKING_RADIUS_PX = 6;
const CLICK_MAX_MS = 1000;

type Props = {
  /** Where to look before any data arrives. */
  initialBounds: LngLatBoundsLike;
  className?: string;
  /**
   * Layer components (and any DOM drawn over the map); mounted only once the style has loaded, so
   * they can add sources at once.
   */
  children?: ReactNode;
};

export default function MapView({ initialBounds, className, children }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const boundsRef = useRef(initialBounds);
  const [deck] = useState(() => new DeckRegistry());
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const scale = useUiScale(containerRef);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({
        container,
        style: baseStyle(),
        bounds: boundsRef.current,
        localIdeographFontFamily: CJK_FONT_FAMILY,
        // No links or logos on an unattended screen; the data notice is drawn by the page.
        attributionControl: false,
        // A flat administrative map: tilting or rotating it only ever confuses the next viewer.
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        maxPitch: 0,
        renderWorldCopies: false,
      });
    } catch (error) {
      // No WebGL (driver fault, blocked GPU): say so in place of the map; the panels stay up.
      console.error('map unavailable', error);
      container.textContent = '地图无法显示（WebGL 不可用）';
      Object.assign(container.style, { display: 'grid', placeItems: 'center' });
      return;
    }
    instance.touchZoomRotate.disableRotation();
    let overlay: MapLibreOverlay | null = null;
    const onLoad = () => {
      try {
        const created = new MapLibreOverlay({
          interleaved: true,
          layers: deck.list(),
          // Live dots are small and moving; a click a few pixels off still means the dot.
          pickingRadius: PICKING_RADIUS_PX,
          // deck.gl times a click by when it handles press and release; on a busy wall PC (or software
          // WebGL) a frame alone can outlast the default 250 ms, and the click would be lost.
          eventRecognizerOptions: { click: { time: CLICK_MAX_MS } },
        });
        instance.addControl(created);
        overlay = created;
        deck.attach(created);
      } catch (error) {
        // Interleaving needs WebGL2; without it the MapLibre layers must still show.
        console.error('deck.gl overlay unavailable', error);
      }
      setMap(instance);
    };
    instance.once('load', onLoad);
    return () => {
      setMap(null);
      instance.off('load', onLoad);
      deck.attach(null);
      if (overlay) instance.removeControl(overlay);
      instance.remove();
    };
  }, [deck]);

  const value = useMemo<MapContextValue | null>(
    () => (map ? { map, scale, setDeckLayer: deck.set } : null),
    [map, scale, deck],
  );

  return (
    // Fills its positioned parent, so the page's grid decides the map's size.
    <div className={className} style={{ position: 'absolute', inset: 0 }}>
      <div ref={containerRef} style={{ position: 'absolute', inset: 0 }} />
      {value && (
        <MapContext.Provider value={value}>
          {/* The deployment's basemap, if any (issue 13), under every layer the page adds. */}
          <BasemapLayer />
          {children}
        </MapContext.Provider>
      )}
    </div>
  );
}
