import { permissionsOf } from '../joins/roles';
import { inapplicability, overridesAfter, withOverrides } from './media-permissions';

describe('media permissions under moderation', () => {
  const participant = permissionsOf('participant', {});
  const viewer = permissionsOf('viewer', {});

  it('narrows what the role allows, and an allow undoes a forbid', () => {
    const forbidden = overridesAfter('forbid_screen_share', {});
    expect(forbidden).toEqual({ shareScreen: false });
    expect(withOverrides(participant, forbidden)).toMatchObject({ shareScreen: false, publishAudio: true });
    const allowed = overridesAfter('allow_screen_share', forbidden);
    expect(allowed).toEqual({});
    expect(withOverrides(participant, allowed).shareScreen).toBe(true);
  });

  it('never lifts what the role forbids', () => {
    expect(withOverrides(viewer, { shareScreen: true, publishAudio: true })).toMatchObject({
      shareScreen: false,
      publishAudio: false,
    });
  });

  it('leaves no state behind for one-off actions', () => {
    const overrides = { shareScreen: false };
    for (const action of ['disable_audio', 'request_video', 'lower_hand', 'remove_peer'] as const)
      expect(overridesAfter(action, overrides)).toBe(overrides);
  });

  it('refuses actions that cannot apply to the peer, saying why', () => {
    expect(inapplicability('disable_audio', viewer, viewer)).toMatch(/cannot send audio/);
    expect(inapplicability('allow_screen_share', viewer, viewer)).toMatch(/change its role/);
    expect(inapplicability('disable_video', participant, participant)).toBeNull();
    const forbidden = withOverrides(participant, { shareScreen: false });
    expect(inapplicability('request_screen_share', participant, forbidden)).toMatch(/allow it first/);
    expect(inapplicability('remove_peer', viewer, viewer)).toBeNull();
  });
});
