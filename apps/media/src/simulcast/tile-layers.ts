/** What a producer's encodings say about its spatial layers (lowest first). */
export interface LayerSource {
  encodings: ReadonlyArray<{ scaleResolutionDownBy?: number; scalabilityMode?: string }>;
  /** Height of the top layer, in pixels. */
  maxHeight: number;
}

export const DEFAULT_MAX_HEIGHT = 720;

/**
 * The height of each spatial layer, lowest first: simulcast encodings carry their own
 * scale (mediasoup-client's default is 4, 2, 1); an SVC encoding (`L3T3`, `S3T3`)
 * halves the resolution per layer down from the top.
 */
export function layerHeights({ encodings, maxHeight }: LayerSource): number[] {
  if (encodings.length > 1) {
    return encodings.map((e, i) => maxHeight / (e.scaleResolutionDownBy ?? 2 ** (encodings.length - 1 - i)));
  }
  const svc = /^[LS](\d+)T\d+/.exec(encodings[0]?.scalabilityMode ?? '');
  const spatial = svc ? Number(svc[1]) : 1;
  return Array.from({ length: spatial }, (_, i) => maxHeight / 2 ** (spatial - 1 - i));
}

/**
 * The lowest spatial layer that fills a tile of this size without upscaling much
 * (a layer within 10% of the tile's height will do); the top layer for a tile larger
 * than every layer. Video is assumed 16:9, so a wide tile needs the height its width implies.
 */
export function spatialLayerFor(source: LayerSource, tile: { width: number; height: number }): number {
  const heights = layerHeights(source);
  const needed = Math.max(tile.height, (tile.width * 9) / 16);
  const index = heights.findIndex((h) => h >= needed * 0.9);
  return index === -1 ? heights.length - 1 : index;
}
