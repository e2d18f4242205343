import { constraintFor } from './local-media';

describe('device choices as getUserMedia constraints', () => {
  it('reads the bridge and welcome-screen forms of a device', () => {
    expect(constraintFor(undefined)).toBeNull();
    expect(constraintFor(false)).toBeNull();
    expect(constraintFor(true)).toBe(true);
    expect(constraintFor('cam-1')).toEqual({ deviceId: { exact: 'cam-1' } });
    expect(constraintFor({ deviceId: 'mic-2', label: 'USB', groupId: 'g', kind: 'audio' })).toEqual({
      deviceId: { exact: 'mic-2' },
    });
    expect(constraintFor({ label: 'no id' })).toBe(true);
  });
});
