/** A device as the bridge's join and changeDevice name it (`{ deviceId, label, groupId, kind }`), or just on/off. */
export type DeviceSpec =
  boolean | string | { deviceId?: string; label?: string; groupId?: string; kind?: string };

/** The getUserMedia constraint for one kind, or null when that kind is not wanted. */
export function constraintFor(spec: DeviceSpec | undefined): MediaTrackConstraints | true | null {
  if (spec === undefined || spec === false) return null;
  if (spec === true) return true;
  const deviceId = typeof spec === 'string' ? spec : spec.deviceId;
  return deviceId ? { deviceId: { exact: deviceId } } : true;
}

/** One camera or microphone track, as the browser grants it. */
export async function captureTrack(
  kind: 'audio' | 'video',
  spec: DeviceSpec = true,
): Promise<MediaStreamTrack> {
  const constraint = constraintFor(spec) ?? true;
  const stream = await navigator.mediaDevices.getUserMedia({ [kind]: constraint });
  const [track] = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
  if (!track) throw new Error(`no ${kind} track`);
  return track;
}

/** The screen (or window) the person picks, with its audio when the browser offers it. */
export async function captureScreen(): Promise<{ video: MediaStreamTrack; audio?: MediaStreamTrack }> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  const [video] = stream.getVideoTracks();
  if (!video) throw new Error('no screen track');
  const [audio] = stream.getAudioTracks();
  return { video, ...(audio ? { audio } : {}) };
}
