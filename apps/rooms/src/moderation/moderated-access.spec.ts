import { moderatedAccess } from './moderated-access';

describe('moderatedAccess', () => {
  it('keeps the role and permissions when no moderator decided anything', () => {
    const access = moderatedAccess('participant', { handEnabled: true }, { role: null, permissions: {} });
    expect(access.role).toBe('participant');
    expect(access.permissions).toMatchObject({ shareScreen: true, raiseHand: true, moderate: false });
  });

  it('enters with the role a moderator gave, and without what a moderator forbade', () => {
    const access = moderatedAccess('viewer', {}, { role: 'speaker', permissions: { shareScreen: false } });
    expect(access.role).toBe('speaker');
    expect(access.permissions).toMatchObject({ publishAudio: true, publishVideo: true, shareScreen: false });
  });

  it('never lifts what the role forbids', () => {
    const access = moderatedAccess('viewer', {}, { role: null, permissions: { publishAudio: true } });
    expect(access.permissions.publishAudio).toBe(false);
  });
});
