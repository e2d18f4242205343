import type { types } from 'mediasoup';

/** What a recorder decodes: opus, VP8, VP9 and H.264 in packetization mode 1. */
const RECORDABLE = /^(audio\/opus|video\/VP8|video\/VP9|video\/H264)$/i;

const recordable = (codec: types.RtpCodecCapability): boolean =>
  RECORDABLE.test(codec.mimeType) &&
  (!/H264$/i.test(codec.mimeType) || Number(codec.parameters?.['packetization-mode']) === 1);

/**
 * The RTP capabilities a recorder consumes with: the router's own codecs that a recorder
 * decodes, exactly as the router offers them (so every producer of the room matches one),
 * without RTX, RTCP feedback or header extensions: a recorder reads a plain RTP stream on
 * loopback or a trusted network, asks for key frames by command, and negotiates nothing.
 */
export function recorderRtpCapabilitiesOf(router: types.Router): types.RtpCapabilities {
  return {
    codecs: (router.rtpCapabilities.codecs ?? [])
      .filter(recordable)
      .map((codec) => ({ ...codec, rtcpFeedback: [] })),
    headerExtensions: [],
  };
}
