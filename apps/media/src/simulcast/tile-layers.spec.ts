import { layerHeights, spatialLayerFor } from './tile-layers';

const simulcast = {
  encodings: [{ scaleResolutionDownBy: 4 }, { scaleResolutionDownBy: 2 }, { scaleResolutionDownBy: 1 }],
  maxHeight: 720,
};

describe('tile layers', () => {
  it('works out layer heights from simulcast scales, their default, or an SVC mode', () => {
    expect(layerHeights(simulcast)).toEqual([180, 360, 720]);
    expect(layerHeights({ encodings: [{}, {}], maxHeight: 720 })).toEqual([360, 720]);
    expect(layerHeights({ encodings: [{ scalabilityMode: 'L3T3_KEY' }], maxHeight: 1080 })).toEqual([
      270, 540, 1080,
    ]);
    expect(layerHeights({ encodings: [{}], maxHeight: 720 })).toEqual([720]);
  });

  it('picks the lowest layer that fills the tile', () => {
    expect(spatialLayerFor(simulcast, { width: 160, height: 90 })).toBe(0);
    expect(spatialLayerFor(simulcast, { width: 320, height: 180 })).toBe(0);
    expect(spatialLayerFor(simulcast, { width: 480, height: 270 })).toBe(1);
    expect(spatialLayerFor(simulcast, { width: 640, height: 360 })).toBe(1);
    expect(spatialLayerFor(simulcast, { width: 1280, height: 720 })).toBe(2);
    expect(spatialLayerFor(simulcast, { width: 3840, height: 2160 })).toBe(2);
  });

  it('reads a wide, short tile by the height its width implies', () => {
    expect(spatialLayerFor(simulcast, { width: 1280, height: 100 })).toBe(2);
  });
});
