import type { types } from 'mediasoup';
import { recorderRtpCapabilitiesOf } from './recorder-rtp-capabilities';

const codec = (mimeType: string, parameters: Record<string, unknown> = {}): types.RtpCodecCapability => ({
  kind: mimeType.startsWith('audio') ? 'audio' : 'video',
  mimeType,
  clockRate: mimeType.startsWith('audio') ? 48000 : 90000,
  parameters,
  rtcpFeedback: [{ type: 'nack' }],
});

describe('recorderRtpCapabilitiesOf', () => {
  it("keeps the router's opus, VP8, VP9 and H.264 (mode 1) as offered, without RTX, feedback or extensions", () => {
    const router = {
      rtpCapabilities: {
        codecs: [
          codec('audio/opus'),
          codec('video/VP8'),
          codec('video/rtx', { apt: 101 }),
          codec('video/VP9', { 'profile-id': 2 }),
          codec('video/H264', { 'packetization-mode': 1, 'profile-level-id': '42e01f' }),
          codec('video/H264', { 'packetization-mode': 0, 'profile-level-id': '42e01f' }),
          codec('video/AV1'),
        ],
        headerExtensions: [{ kind: 'video', uri: 'urn:3gpp:video-orientation', preferredId: 4 }],
      },
    } as unknown as types.Router;
    const capabilities = recorderRtpCapabilitiesOf(router);
    expect(capabilities.codecs!.map((c) => [c.mimeType, c.parameters])).toEqual([
      ['audio/opus', {}],
      ['video/VP8', {}],
      ['video/VP9', { 'profile-id': 2 }],
      ['video/H264', { 'packetization-mode': 1, 'profile-level-id': '42e01f' }],
    ]);
    expect(capabilities.codecs!.every((c) => c.rtcpFeedback!.length === 0)).toBe(true);
    expect(capabilities.headerExtensions).toEqual([]);
  });
});
