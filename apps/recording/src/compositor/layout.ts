import { DrawnPeer, DrawnShare } from './roster-view';

export type TileKind = 'camera' | 'screen' | 'overflow';

/** A rectangle of the canvas and what is drawn in it. Every number is even (yuv420p chroma). */
export interface Tile {
  /** Stable across layouts while the same thing is drawn: `peer:<id>`, `screen:<producerId>`, `overflow`. */
  key: string;
  kind: TileKind;
  label: string;
  peerId?: string;
  /** The video drawn in the tile; absent for a name card or the "+N" card. */
  producerId?: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutInput {
  width: number;
  height: number;
  peers: DrawnPeer[];
  shares: DrawnShare[];
  /** Peer ids, the most recent speaker first: they win the places when not everyone fits. */
  recentSpeakers?: string[];
}

/** At most 4x4 tiles: beyond that faces get too small to read; the rest become "+N". */
const MAX_GRID = 4;
/** The screen share's part of the canvas width; the peers get a column of the rest. */
const SHARE_WIDTH_RATIO = 3 / 4;

/** Sizes round down, positions to the nearest: both even, for the half-size chroma planes. */
const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);
const evenOffset = (n: number) => Math.max(0, Math.round(n / 2) * 2);

/**
 * Places the drawn peers and screen shares on the canvas as a regular viewer sees
 * them: a grid filling the canvas, or with a share, the share large on the left and the
 * peers in a column on the right.
 */
export function layoutTiles(input: LayoutInput): Tile[] {
  const gap = even(input.height / 180);
  const [share, ...otherShares] = input.shares;
  if (!share) return grid(input, gap);

  const small = [...otherShares.map(shareTile), ...input.peers.map(peerTile)];
  if (small.length === 0)
    return [{ ...shareTile(share), x: 0, y: 0, width: input.width, height: input.height }];

  const shareWidth = even(input.width * SHARE_WIDTH_RATIO);
  const columnX = shareWidth + gap;
  const columnWidth = even(input.width - columnX);
  const tileHeight = Math.min(even((columnWidth * 9) / 16), input.height);
  const capacity = Math.max(1, Math.floor((input.height + gap) / (tileHeight + gap)));
  const shown = fit(small, capacity, input.recentSpeakers);
  const columnHeight = shown.length * tileHeight + (shown.length - 1) * gap;
  const top = evenOffset((input.height - columnHeight) / 2);
  return [
    { ...shareTile(share), x: 0, y: 0, width: shareWidth, height: input.height },
    ...shown.map((t, i) => ({
      ...t,
      x: columnX,
      y: top + i * (tileHeight + gap),
      width: columnWidth,
      height: tileHeight,
    })),
  ];
}

type Unplaced = Omit<Tile, 'x' | 'y' | 'width' | 'height'>;

function peerTile(p: DrawnPeer): Unplaced {
  return {
    key: `peer:${p.peerId}`,
    kind: 'camera',
    label: p.name,
    peerId: p.peerId,
    producerId: p.cameraProducerId,
  };
}

function shareTile(s: DrawnShare): Unplaced {
  return {
    key: `screen:${s.producerId}`,
    kind: 'screen',
    label: `${s.name} (screen)`,
    peerId: s.peerId,
    producerId: s.producerId,
  };
}

/** Columns x rows for n tiles: 1, 2 side by side, 2x2, 3x3, 4x4. */
export function gridShape(n: number): { columns: number; rows: number } {
  if (n <= 1) return { columns: 1, rows: 1 };
  if (n === 2) return { columns: 2, rows: 1 };
  const side = Math.min(MAX_GRID, Math.ceil(Math.sqrt(n)));
  return { columns: side, rows: side };
}

function grid(input: LayoutInput, gap: number): Tile[] {
  if (input.peers.length === 0) return [];
  const { columns, rows } = gridShape(input.peers.length);
  const shown = fit(input.peers.map(peerTile), columns * rows, input.recentSpeakers);
  const cellWidth = even((input.width - (columns - 1) * gap) / columns);
  const cellHeight = even((input.height - (rows - 1) * gap) / rows);
  const usedRows = Math.ceil(shown.length / columns);
  const top = evenOffset((input.height - (usedRows * cellHeight + (usedRows - 1) * gap)) / 2);
  return shown.map((tile, i) => {
    const row = Math.floor(i / columns);
    // An incomplete last row is centred, as call clients do.
    const inRow = Math.min(columns, shown.length - row * columns);
    const rowWidth = inRow * cellWidth + (inRow - 1) * gap;
    const left = evenOffset((input.width - rowWidth) / 2);
    const column = i % columns;
    return {
      ...tile,
      x: Math.min(left + column * (cellWidth + gap), input.width - cellWidth),
      y: Math.min(top + row * (cellHeight + gap), input.height - cellHeight),
      width: cellWidth,
      height: cellHeight,
    };
  });
}

/**
 * Keeps at most `places` tiles: when some must go, the most recent speakers stay (then
 * the earliest in the roster) and the last place becomes a "+N" card counting the others.
 * The kept tiles stay in roster order so that nobody jumps around when someone speaks.
 */
function fit(tiles: Unplaced[], places: number, recentSpeakers: string[] = []): Unplaced[] {
  if (tiles.length <= places) return tiles;
  const keep = places - 1;
  const rank = (t: Unplaced) => {
    const spoke = t.kind === 'camera' && t.peerId ? recentSpeakers.indexOf(t.peerId) : -1;
    // Other screen shares first, then speakers by recency, then the rest in roster order.
    return t.kind === 'screen' ? -1 : spoke === -1 ? recentSpeakers.length : spoke;
  };
  const chosen = new Set(
    tiles
      .map((t, i) => ({ t, i }))
      .sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i)
      .slice(0, keep)
      .map(({ t }) => t),
  );
  const hidden = tiles.length - keep;
  return [...tiles.filter((t) => chosen.has(t)), { key: 'overflow', kind: 'overflow', label: `+${hidden}` }];
}
