import type { CompositeOptions } from '../compositor/room-composite';
import type { RecordingConfig } from '../config/recording.config';

export function compositeOptionsOf(config: RecordingConfig): CompositeOptions {
  return {
    width: config.RECORDING_WIDTH,
    height: config.RECORDING_HEIGHT,
    frameRate: config.RECORDING_FRAME_RATE,
    x264Preset: config.RECORDING_X264_PRESET,
    videoBitrateKbps: config.RECORDING_VIDEO_BITRATE_KBPS,
    audioBitrateKbps: config.RECORDING_AUDIO_BITRATE_KBPS,
    rtpListenIp: config.RECORDING_RTP_IP,
    hlsSegmentSeconds: config.RECORDING_HLS_SEGMENT_SECONDS,
  };
}
