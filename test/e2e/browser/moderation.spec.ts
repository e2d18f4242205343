import { startBrowserRoom, BrowserRoom } from './support/browser-room.harness';
import { eventually, phaseOf, publishing, reception, TestBrowser } from './support/browser';

jest.setTimeout(90_000);

describe("a moderator's panel in Chromium: waiting room, camera off, removal", () => {
  let room: BrowserRoom;
  let browser: TestBrowser;

  beforeAll(async () => {
    room = await startBrowserRoom();
    browser = await TestBrowser.launch();
  });

  afterAll(async () => {
    await browser?.close();
    await room?.close();
  });

  it('admits a waiting participant, turns its camera off on the server, asks for it, mutes everyone and removes it', async () => {
    const prepared = await room.api('/v1/rooms/mod-1', {
      method: 'PUT',
      body: JSON.stringify({ waitingRoom: true }),
    });
    expect(prepared.status).toBeLessThan(300);

    const mia = await browser.open(
      room.url('mod-1', {
        token: await room.mint('mia', 'mod-1', { role: 'moderator', displayName: 'Mia' }),
        nameScreenDisabled: true,
      }),
    );
    await eventually(
      () => phaseOf(mia),
      (p) => p.phase === 'in-call',
      { what: 'moderator in the call' },
    );

    const pat = await browser.open(
      room.url('mod-1', {
        token: await room.mint('pat', 'mod-1', { displayName: 'Pat' }),
        nameScreenDisabled: true,
      }),
    );
    const waiting = await eventually(
      () => phaseOf(pat),
      (p) => p.phase === 'waiting',
      { what: 'pat waiting' },
    );
    expect(waiting.status).toBe('Please wait for confirmation: a moderator will let you in');

    // The moderator sees Pat in the waiting room and lets Pat in.
    await mia.click('[data-control=moderator]');
    await mia.click('[data-testid=waiting-list] li[data-peer-id=pat] [data-action=admit]');
    await eventually(
      () => phaseOf(pat),
      (p) => p.phase === 'in-call',
      { what: 'pat admitted' },
    );
    await eventually(
      () => reception(mia),
      (r) => r.videos.some((v) => v.peerId === 'pat' && v.width > 0),
      { what: "pat's video at the moderator" },
    );
    expect(await mia.textContent('[data-testid=peer-list] li[data-peer-id=pat] .name')).toBe('Pat');

    // Camera off: the server closes Pat's camera producer, so the moderator's consumer of it goes too.
    await mia.click('[data-testid=peer-list] li[data-peer-id=pat] [data-action=disable_video]');
    await eventually(
      () => publishing(pat, 'camera'),
      (on) => !on,
      { what: "pat's camera off" },
    );
    await eventually(
      () => reception(mia),
      (r) =>
        !r.tracks.some((t) => t.startsWith('pat:camera')) &&
        r.tracks.some((t) => t.startsWith('pat:microphone')),
      { what: "the moderator no longer receiving pat's camera" },
    );
    expect(await pat.textContent('[data-testid=notice]')).toBe('A moderator turned your camera off');
    expect(await publishing(pat, 'microphone')).toBe(true);

    // Asking: Pat's page passes the request on; Pat decides.
    await mia.click('[data-testid=peer-list] li[data-peer-id=pat] [data-action=request_video]');
    await eventually(
      () => pat.textContent('[data-testid=notice]'),
      (text) => text === 'A moderator asks you to turn your camera on',
      { what: "the request on pat's page" },
    );
    await pat.click('[data-control=camera]');
    await eventually(
      () => publishing(pat, 'camera'),
      (on) => on,
      { what: "pat's camera on again" },
    );

    // Sharing forbidden: Pat's page loses the button at once (permissionsChanged); allowed again, it returns.
    await mia.click('[data-testid=peer-list] li[data-peer-id=pat] [data-action=forbid_screen_share]');
    await eventually(
      () => pat.locator('[data-control=share]').count(),
      (n) => n === 0,
      {
        what: "pat's share button gone",
      },
    );
    await mia.click('[data-testid=peer-list] li[data-peer-id=pat] [data-action=allow_screen_share]');
    await eventually(
      () => pat.locator('[data-control=share]').count(),
      (n) => n === 1,
      {
        what: "pat's share button back",
      },
    );

    // Everyone's microphone off (moderators keep theirs).
    await mia.click('[data-action=disable_all_audio]');
    await eventually(
      () => publishing(pat, 'microphone'),
      (on) => !on,
      { what: "pat's microphone off" },
    );
    expect(await publishing(mia, 'microphone')).toBe(true);

    // Removal: Pat's page says why.
    await mia.click('[data-testid=peer-list] li[data-peer-id=pat] [data-action=remove_peer]');
    const ended = await eventually(
      () => phaseOf(pat),
      (p) => p.phase === 'ended',
      { what: 'pat removed' },
    );
    expect(ended.reason).toBe('kicked');
    expect(ended.status).toBe('A moderator removed you from the room');
    await eventually(
      () => reception(mia),
      (r) => !r.tracks.some((t) => t.startsWith('pat:')),
      {
        what: "pat's media gone at the moderator",
      },
    );
  });
});
