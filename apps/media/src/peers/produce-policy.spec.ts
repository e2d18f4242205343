import { refuseToProduce } from './produce-policy';

const all = { publishAudio: true, publishVideo: true, shareScreen: true, subscribe: true };
const viewer = { publishAudio: false, publishVideo: false, shareScreen: false, subscribe: true };

describe('refuseToProduce', () => {
  it('lets a participant produce each source with its kind', () => {
    expect(refuseToProduce(all, 'audio', 'microphone')).toBeNull();
    expect(refuseToProduce(all, 'video', 'camera')).toBeNull();
    expect(refuseToProduce(all, 'video', 'screen')).toBeNull();
    expect(refuseToProduce(all, 'audio', 'screenAudio')).toBeNull();
  });

  it('refuses a viewer every source, naming the missing permission', () => {
    expect(refuseToProduce(viewer, 'audio', 'microphone')).toMatch(/publishAudio/);
    expect(refuseToProduce(viewer, 'video', 'camera')).toMatch(/publishVideo/);
    expect(refuseToProduce(viewer, 'video', 'screen')).toMatch(/shareScreen/);
  });

  it('refuses only what is not granted', () => {
    const micOnly = { ...viewer, publishAudio: true };
    expect(refuseToProduce(micOnly, 'audio', 'microphone')).toBeNull();
    expect(refuseToProduce(micOnly, 'video', 'camera')).not.toBeNull();
  });

  it('refuses a kind that does not match its source, so permissions cannot be sidestepped', () => {
    expect(refuseToProduce({ ...viewer, publishAudio: true }, 'video', 'microphone')).toMatch(
      /carries audio/,
    );
  });
});
