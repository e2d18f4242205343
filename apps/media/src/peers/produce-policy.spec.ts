import type { GrantPermissions, JoinGrant } from '../grants/join-grant';
import { Peer } from './peer';
import { permissionsForRole, refuseToProduce } from './produce-policy';

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

const grant = (role: string, perms: GrantPermissions): JoinGrant => ({
  org: 'org_1',
  room: 'room-1',
  session: 'sess_1',
  conferenceNumber: '12345678',
  peer: 'ana',
  connection: 'c_ana',
  role,
  perms,
  mediaServer: 'serv0',
  expiresAt: 0,
});
const promoted = (peer: Peer, role: string) =>
  permissionsForRole(role, peer.permissions, peer.screenShareForbidden);

describe('a screen-share ban carried by the grant', () => {
  it('outlives a promotion when a sharing role was signed without shareScreen', () => {
    const peer = new Peer(grant('participant', { ...all, shareScreen: false }), () => undefined);
    expect(peer.screenShareForbidden).toBe(true);
    expect(promoted(peer, 'moderator')).toMatchObject({ publishAudio: true, shareScreen: false });
    expect(refuseToProduce(promoted(peer, 'moderator'), 'video', 'screen')).toMatch(/shareScreen/);
  });

  it('is not read into a role that shares nothing anyway', () => {
    const peer = new Peer(grant('viewer', viewer), () => undefined);
    expect(peer.screenShareForbidden).toBe(false);
    expect(promoted(peer, 'speaker')).toMatchObject({ shareScreen: true });
  });

  it('is absent from a grant that allows sharing', () => {
    expect(new Peer(grant('participant', all), () => undefined).screenShareForbidden).toBe(false);
  });
});

describe('the record permission across role changes', () => {
  it('is taken from a moderator no longer moderating, and given to nobody', () => {
    const recording = new Peer(grant('moderator', { ...all, record: true }), () => undefined);
    expect(promoted(recording, 'moderator')).toMatchObject({ record: true });
    expect(promoted(recording, 'participant')).toMatchObject({ record: false });
    const participant = new Peer(grant('participant', { ...all, record: false }), () => undefined);
    expect(promoted(participant, 'moderator')).toMatchObject({ record: false });
  });
});
