import { gridShape, layoutTiles, Tile } from './layout';
import { DrawnPeer } from './roster-view';

const peers = (n: number): DrawnPeer[] =>
  Array.from({ length: n }, (_, i) => ({ peerId: `p${i}`, name: `Peer ${i}`, cameraProducerId: `cam${i}` }));
const canvas = { width: 1280, height: 720, shares: [] };

function expectInside(tiles: Tile[]) {
  for (const t of tiles) {
    for (const v of [t.x, t.y, t.width, t.height]) expect(v % 2).toBe(0);
    expect(t.x).toBeGreaterThanOrEqual(0);
    expect(t.y).toBeGreaterThanOrEqual(0);
    expect(t.x + t.width).toBeLessThanOrEqual(1280);
    expect(t.y + t.height).toBeLessThanOrEqual(720);
  }
  for (const a of tiles) {
    for (const b of tiles) {
      if (a === b) continue;
      const apart =
        a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart).toBe(true);
    }
  }
}

describe('layoutTiles', () => {
  it('gives one peer the whole canvas', () => {
    expect(layoutTiles({ ...canvas, peers: peers(1) })).toEqual([
      {
        key: 'peer:p0',
        kind: 'camera',
        label: 'Peer 0',
        peerId: 'p0',
        producerId: 'cam0',
        x: 0,
        y: 0,
        width: 1280,
        height: 720,
      },
    ]);
  });

  it('puts two peers side by side at full height', () => {
    const tiles = layoutTiles({ ...canvas, peers: peers(2) });
    expect(tiles.map((t) => [t.x, t.y, t.width, t.height])).toEqual([
      [0, 0, 638, 720],
      [642, 0, 638, 720],
    ]);
  });

  it('uses 2x2 for three and four, centring an incomplete last row', () => {
    const three = layoutTiles({ ...canvas, peers: peers(3) });
    expect(three.map((t) => [t.x, t.y])).toEqual([
      [0, 0],
      [642, 0],
      [322, 362],
    ]);
    const four = layoutTiles({ ...canvas, peers: peers(4) });
    expect(four.every((t) => t.width === 638 && t.height === 358)).toBe(true);
    expectInside(four);
  });

  it.each([
    [5, 3],
    [9, 3],
    [10, 4],
    [16, 4],
  ])('uses a square grid for %i peers (%i per side)', (n, side) => {
    expect(gridShape(n)).toEqual({ columns: side, rows: side });
    const tiles = layoutTiles({ ...canvas, peers: peers(n) });
    expect(tiles).toHaveLength(n);
    expectInside(tiles);
  });

  it('shows 15 of more than 16 peers, recent speakers first, and counts the others on a "+N" card', () => {
    const tiles = layoutTiles({ ...canvas, peers: peers(20), recentSpeakers: ['p19', 'p18'] });
    expect(tiles).toHaveLength(16);
    expect(tiles.map((t) => t.peerId).filter(Boolean)).toEqual([
      ...['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12'],
      ...['p18', 'p19'],
    ]);
    expect(tiles[15]).toMatchObject({ key: 'overflow', kind: 'overflow', label: '+5' });
    expectInside(tiles);
  });

  it('gives a screen share the left three quarters and the peers a column on the right', () => {
    const tiles = layoutTiles({
      ...canvas,
      peers: peers(3),
      shares: [{ peerId: 'p1', name: 'Peer 1', producerId: 'scr1' }],
    });
    expect(tiles[0]).toMatchObject({
      key: 'screen:scr1',
      kind: 'screen',
      label: 'Peer 1 (screen)',
      x: 0,
      y: 0,
      width: 960,
      height: 720,
    });
    expect(tiles.slice(1).map((t) => [t.peerId, t.x, t.width, t.height])).toEqual([
      ['p0', 964, 316, 176],
      ['p1', 964, 316, 176],
      ['p2', 964, 316, 176],
    ]);
    expectInside(tiles);
  });

  it('fills the column with a "+N" card when the peers beside a share do not fit', () => {
    const tiles = layoutTiles({
      ...canvas,
      peers: peers(6),
      shares: [{ peerId: 'p0', name: 'Peer 0', producerId: 's' }],
    });
    expect(tiles.map((t) => t.key)).toEqual(['screen:s', 'peer:p0', 'peer:p1', 'peer:p2', 'overflow']);
    expect(tiles[4].label).toBe('+3');
  });

  it('shows a share alone full size when nobody else is drawn, and nothing for an empty room', () => {
    const alone = layoutTiles({
      ...canvas,
      peers: [],
      shares: [{ peerId: 'x', name: 'X', producerId: 's' }],
    });
    expect(alone).toMatchObject([{ x: 0, y: 0, width: 1280, height: 720 }]);
    expect(layoutTiles({ ...canvas, peers: [] })).toEqual([]);
  });

  it('keeps even sizes on other canvases', () => {
    for (const [width, height] of [
      [1920, 1080],
      [640, 360],
      [854, 480],
    ]) {
      for (const n of [1, 2, 3, 5, 12]) {
        for (const t of layoutTiles({ width, height, shares: [], peers: peers(n) })) {
          for (const v of [t.x, t.y, t.width, t.height]) expect(v % 2).toBe(0);
        }
      }
    }
  });
});
