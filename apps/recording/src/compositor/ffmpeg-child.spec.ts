import { describeExit, filterPath } from './ffmpeg-child';

describe('describeExit', () => {
  it('names how ffmpeg ended and the line of its log that says why, a full disk above all', () => {
    const log = [
      '[hls @ 0x1] Opening segment-00042.ts for writing',
      '[mpegts @ 0x2] Error writing packet: No space left on device',
      'Error muxing a packet',
    ].join('\n');
    expect(describeExit({ code: 1, signal: null }, log)).toBe(
      'exit code 1: [mpegts @ 0x2] Error writing packet: No space left on device',
    );
    expect(describeExit({ code: null, signal: 'SIGKILL' }, '')).toBe('signal SIGKILL');
    expect(describeExit({ code: 1, signal: null }, 'pipe:0: Invalid argument\n')).toBe(
      'exit code 1: pipe:0: Invalid argument',
    );
    expect(describeExit({ code: null, signal: null, error: new Error('spawn ffmpeg ENOENT') }, '')).toBe(
      'spawn ffmpeg ENOENT',
    );
  });
});

describe('filterPath', () => {
  it('takes plain paths and refuses what a filtergraph would read differently', () => {
    expect(filterPath('/tmp/confer-composite-AbC123/v1.txt')).toBe('/tmp/confer-composite-AbC123/v1.txt');
    expect(() => filterPath("/tmp/it's:here.txt")).toThrow(/plain/);
  });
});
