import { FrameReader } from './frame-reader';
import { formatClosedPlaylist, parsePlaylist } from './hls-playlist';
import { rtpSdp } from './rtp-sdp';

describe('rtpSdp', () => {
  it('describes a consumer for ffmpeg: codec, clock, channels, parameters, ports', () => {
    const sdp = rtpSdp(
      {
        consumerId: 'c',
        kind: 'audio',
        mimeType: 'audio/opus',
        payloadType: 100,
        clockRate: 48000,
        channels: 2,
        ssrc: 1,
        parameters: { minptime: 10, useinbandfec: 1 },
      },
      { ip: '127.0.0.1', rtpPort: 20000, rtcpPort: 20001 },
    );
    expect(sdp.split('\r\n')).toEqual(
      expect.arrayContaining([
        'c=IN IP4 127.0.0.1',
        'm=audio 20000 RTP/AVP 100',
        'a=rtcp:20001',
        'a=rtpmap:100 opus/48000/2',
        'a=fmtp:100 minptime=10;useinbandfec=1',
      ]),
    );
    const video = rtpSdp(
      {
        consumerId: 'c',
        kind: 'video',
        mimeType: 'video/H264',
        payloadType: 102,
        clockRate: 90000,
        ssrc: 1,
        parameters: {},
      },
      { ip: '::1', rtpPort: 20002, rtcpPort: 20003 },
    );
    expect(video).toContain('a=rtpmap:102 H264/90000\r\n');
    expect(video).toContain('c=IN IP6 ::1');
    expect(video).not.toContain('fmtp');
  });
});

describe('HLS playlists', () => {
  it('reads segments and whether the playlist is closed, and writes a closed one', () => {
    const open =
      '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000000,\nsegment-00000.ts\n#EXTINF:1.5,\nsegment-00001.ts\n';
    expect(parsePlaylist(open)).toEqual({
      ended: false,
      segments: [
        { uri: 'segment-00000.ts', durationSeconds: 2 },
        { uri: 'segment-00001.ts', durationSeconds: 1.5 },
      ],
    });
    const closed = formatClosedPlaylist(parsePlaylist(open).segments);
    expect(parsePlaylist(closed).ended).toBe(true);
    expect(parsePlaylist(closed).segments).toHaveLength(2);
    expect(closed).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
  });
});

describe('FrameReader', () => {
  it('cuts a byte stream into whole frames, however it is split', () => {
    const frames: number[][] = [];
    const reader = new FrameReader(4, (f) => frames.push([...f]));
    reader.push(Buffer.from([1, 2, 3]));
    reader.push(Buffer.from([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]));
    reader.push(Buffer.from([14, 15, 16]));
    expect(frames).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
      [13, 14, 15, 16],
    ]);
  });
});
