import type { Layer } from '@deck.gl/core';
import type { MapLibreOverlay } from '@deck.gl/maplibre';

/**
 * The deck.gl layers of one map, keyed by id. Layer files come and go independently while the
 * overlay takes its whole layer list at once, so they register here rather than on the overlay.
 */
export class DeckRegistry {
  private layers = new Map<string, Layer>();
  private overlay: MapLibreOverlay | null = null;

  /** Adds, replaces (same id) or, with null, removes one layer. */
  readonly set = (id: string, layer: Layer | null): void => {
    if (layer) this.layers.set(id, layer);
    else this.layers.delete(id);
    this.overlay?.setProps({ layers: this.list() });
  };

  list(): Layer[] {
    return [...this.layers.values()];
  }

  attach(overlay: MapLibreOverlay | null): void {
    this.overlay = overlay;
  }
}
