import {
  BRIDGE_CHANNEL,
  BRIDGE_EVENTS,
  BRIDGE_METHODS,
  isEventMessage,
  isMethodCall,
  isMethodResult,
  originOf,
} from './bridge-protocol';

describe('iframe bridge messages', () => {
  it('names every method and event of the Client API', () => {
    expect(BRIDGE_METHODS).toEqual(
      expect.arrayContaining([
        'join',
        'enableMic',
        'disableWebcam',
        'getScreenshotByPeerId',
        'changeDevice',
        'setBitrate',
        'enablePin',
        'disablePin',
        'enableFullscreen',
        'disabledTrackByModerator',
        'disableAllMics',
        'disableAllCameras',
        'setHideIndicators',
        'setLocale',
        'startRecording',
        'stopRecording',
        'isRecording',
      ]),
    );
    expect(BRIDGE_EVENTS).toEqual(
      expect.arrayContaining([
        'ready',
        'readyToJoin',
        'newPeer',
        'peerClosed',
        'switchOnPin',
        'playingAudioPrevent',
        'recordingChanged',
      ]),
    );
  });

  it('accepts only well-formed calls of known methods', () => {
    const call = { channel: BRIDGE_CHANNEL, kind: 'method', roomId: 'r', callId: 1, name: 'enableMic' };
    expect(isMethodCall(call)).toBe(true);
    expect(isMethodCall({ ...call, name: 'eval' })).toBe(false);
    expect(isMethodCall({ ...call, callId: '1' })).toBe(false);
    expect(isMethodCall({ ...call, channel: 'other' })).toBe(false);
    expect(isMethodCall('enableMic')).toBe(false);
    expect(
      isMethodResult({ channel: BRIDGE_CHANNEL, kind: 'result', roomId: 'r', callId: 1, ok: true }),
    ).toBe(true);
    expect(isEventMessage({ channel: BRIDGE_CHANNEL, kind: 'event', roomId: 'r', name: 'newPeer' })).toBe(
      true,
    );
    expect(isEventMessage({ channel: BRIDGE_CHANNEL, kind: 'event', roomId: 'r', name: 'hack' })).toBe(false);
  });

  it('finds origins to check against, and none for opaque URLs', () => {
    expect(originOf('https://meet.example.com/call/?roomId=r')).toBe('https://meet.example.com');
    expect(originOf('/call/?roomId=r', 'http://localhost:8080/host.html')).toBe('http://localhost:8080');
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('not a url')).toBeNull();
  });
});
