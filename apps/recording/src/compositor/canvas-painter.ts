import { Tile } from './layout';
import { NAME_CARD_COLOR, NameCards } from './name-cards';
import { RoomSources } from './room-sources';
import { blit, fillRect, rgbToYuv, solidFrame, YuvFrame } from './yuv-frame';

/** The canvas behind the tiles (the gaps between them, the empty room). */
export const CANVAS_COLOR = rgbToYuv(0x121212);
const CARD_COLOR = rgbToYuv(NAME_CARD_COLOR);

/**
 * Paints one frame of the composite: each tile's latest decoded picture, or its name
 * card while there is none (camera off, decoder starting). A fresh buffer every frame,
 * since the encoder's pipe may still hold the previous one.
 */
export function paintCanvas(
  width: number,
  height: number,
  tiles: Tile[],
  sources: RoomSources,
  cards: NameCards,
): YuvFrame {
  const canvas = solidFrame(width, height, CANVAS_COLOR);
  for (const tile of tiles) {
    const picture =
      (tile.producerId && sources.video(tile.producerId)?.frame()) ||
      cards.get(tile.label, tile.width, tile.height);
    if (picture) blit(canvas, picture, tile.x, tile.y);
    else fillRect(canvas, tile.x, tile.y, tile.width, tile.height, CARD_COLOR);
  }
  return canvas;
}
