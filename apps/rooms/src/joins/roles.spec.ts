import { isBroadcaster, permissionsOf, resolveRole } from './roles';

describe('roles', () => {
  it('takes the token role, else speaker/viewer on the webinar page, else participant', () => {
    expect(resolveRole('call', 'moderator', {})).toBe('moderator');
    expect(resolveRole('webinar', undefined, {})).toBe('viewer');
    expect(resolveRole('webinar', undefined, { itisparticipant: true })).toBe('speaker');
    expect(resolveRole('webinar', 'participant', { itisparticipant: false })).toBe('viewer');
    expect(resolveRole('call', undefined, { itisparticipant: false })).toBe('participant');
  });

  it('lets viewers only watch, and moderators run the room and record when allowed', () => {
    expect(permissionsOf('viewer', {})).toMatchObject({
      publishAudio: false,
      shareScreen: false,
      subscribe: true,
      moderate: false,
    });
    expect(isBroadcaster('viewer')).toBe(false);
    expect(permissionsOf('moderator', { canRecord: true })).toMatchObject({ moderate: true, record: true });
    expect(permissionsOf('moderator', {})).toMatchObject({ record: false });
    expect(permissionsOf('owner', {}).moderate).toBe(true);
    expect(permissionsOf('participant', { handEnabled: true, disableChat: true })).toMatchObject({
      raiseHand: true,
      chat: false,
      moderate: false,
    });
  });
});
