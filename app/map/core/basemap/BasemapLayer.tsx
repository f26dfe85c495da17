'use client';

import { useEffect, useState } from 'react';
import { addProtocol, type LayerSpecification, type SourceSpecification } from 'maplibre-gl';
import { PMTiles, Protocol, TileType } from 'pmtiles';
import { attributionLine, BasemapAnswer, NO_BASEMAP } from '@/lib/basemap/contract';
import { http } from '@/app/http';
import { useMap } from '../context';
import { removeAll } from '../layers';
import { BEFORE } from '../style';
import { RASTER_PAINT, vectorBasemapLayers } from './vectorStyle';

const SOURCE = 'basemap';
const RETRY_MS = 15_000;

/*
 * MapLibre's protocols are global: one pmtiles:// handler for every map on the page. The archive
 * is read from our own origin only (the server's /api/v1/basemap/tiles.pmtiles, with Range
 * requests), so a PMTiles basemap sends nothing off-origin (issue 13).
 */
let protocol: Protocol | null = null;
function pmtilesProtocol(): Protocol {
  if (!protocol) {
    protocol = new Protocol();
    addProtocol('pmtiles', protocol.tile);
  }
  return protocol;
}

type Drawn = { source: SourceSpecification; layers: LayerSpecification[] };

/** What to add for a configured basemap, or null when there is none (or the archive holds no tile type we draw). */
async function drawnOf(b: BasemapAnswer, scale: number): Promise<Drawn | null> {
  if (b.kind === 'none') return null;
  if (b.kind === 'xyz') {
    return {
      source: { type: 'raster', tiles: [b.url], tileSize: 256, maxzoom: 18 },
      layers: [{ id: 'basemap-raster', type: 'raster', source: SOURCE, paint: RASTER_PAINT }],
    };
  }
  const absolute = new URL(b.url, window.location.origin).href;
  const archive = new PMTiles(absolute);
  const p = pmtilesProtocol();
  if (!p.get(absolute)) p.add(archive);
  const { tileType } = await (p.get(absolute) ?? archive).getHeader();
  const url = `pmtiles://${absolute}`;
  if (tileType === TileType.Mvt) return { source: { type: 'vector', url }, layers: vectorBasemapLayers(scale) };
  if (tileType === TileType.Png || tileType === TileType.Jpeg || tileType === TileType.Webp) {
    return { source: { type: 'raster', url, tileSize: 256 }, layers: [{ id: 'basemap-raster', type: 'raster', source: SOURCE, paint: RASTER_PAINT }] };
  }
  console.warn('basemap: PMTiles tile type not drawn', tileType);
  return null;
}

/**
 * The deployment's basemap under every layer of the map, and the line that names it and its datum.
 * Default none: then nothing is added and nothing is asked of any host but ours. A wall runs
 * unattended, so a failed look-up is retried on its own; the map works without a basemap meanwhile.
 */
export default function BasemapLayer() {
  const { map, scale } = useMap();
  const [answer, setAnswer] = useState<BasemapAnswer>(NO_BASEMAP);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const load = async () => {
      try {
        setAnswer(await http.get('/api/v1/basemap', { schema: BasemapAnswer, signal: controller.signal }));
      } catch (error) {
        if (controller.signal.aborted) return;
        console.warn('basemap settings unavailable', error);
        timer = setTimeout(load, RETRY_MS);
      }
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    let cancelled = false;
    let added: string[] = [];
    drawnOf(answer, scale)
      .then((drawn) => {
        if (cancelled || !drawn || !map.style) return;
        map.addSource(SOURCE, drawn.source);
        // Under every band of ours (app/map/core/style.ts), above only the background.
        for (const layer of drawn.layers) map.addLayer(layer, BEFORE.fill);
        added = drawn.layers.map((l) => l.id);
      })
      .catch((error: unknown) => console.warn('basemap unavailable', error));
    return () => {
      cancelled = true;
      removeAll(map, added, added.length ? [SOURCE] : []);
    };
  }, [map, scale, answer]);

  const line = attributionLine(answer);
  if (!line) return null;
  return (
    <div
      data-testid="basemap-attribution"
      style={{
        // Top centre: the pages keep their panels, notices and legends in the corners and along the bottom.
        position: 'absolute', left: '50%', top: '0.5em', transform: 'translateX(-50%)', zIndex: 1, pointerEvents: 'none',
        whiteSpace: 'nowrap', font: '0.75rem/1.2 sans-serif', color: 'rgba(215, 231, 247, 0.75)', textShadow: '0 0 3px #07101f',
      }}
    >
      {line}
    </div>
  );
}
