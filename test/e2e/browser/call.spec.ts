import { startBrowserRoom, BrowserRoom } from './support/browser-room.harness';
import { eventually, phaseOf, publishing, reception, TestBrowser } from './support/browser';

jest.setTimeout(90_000);

describe('the web client in Chromium, against real auth, rooms and media services', () => {
  let room: BrowserRoom;
  let browser: TestBrowser;

  beforeAll(async () => {
    room = await startBrowserRoom();
    browser = await TestBrowser.launch();
  });

  afterEach(async () => {
    for (const page of browser.pages.splice(0)) await page.close().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await room?.close();
  });

  it('lets two participants see and hear each other', async () => {
    // Ana comes through the welcome screen; Ben's link skips it.
    const ana = await browser.open(room.url('two-1', { token: await room.mint('ana', 'two-1') }));
    await ana.fill('input[name=displayName]', 'Ana');
    await ana.click('[data-testid=join]');
    const ben = await browser.open(
      room.url('two-1', {
        token: await room.mint('ben', 'two-1'),
        displayName: 'Ben',
        nameScreenDisabled: true,
      }),
    );

    for (const [page, other] of [
      [ana, 'ben'],
      [ben, 'ana'],
    ] as const) {
      const first = await eventually(
        () => reception(page),
        (r) => r.audio > 0 && r.video > 0 && r.videos.some((v) => v.peerId === other && v.width > 0),
        { what: `${other}'s media on the other page` },
      );
      // Still flowing a moment later: bytes keep growing.
      await eventually(
        () => reception(page),
        (r) => r.audio > first.audio && r.video > first.video,
        { what: 'growing inbound RTP' },
      );
      const video = first.videos.find((v) => v.peerId === other)!;
      expect(video.width).toBeGreaterThanOrEqual(160);
      expect(video.height).toBeGreaterThanOrEqual(90);
      expect(await publishing(page, 'camera')).toBe(true);
      expect(await publishing(page, 'microphone')).toBe(true);
    }
    expect(await ana.textContent('.tile.local .name')).toBe('Ana');
    // Names travel with the join: each sees the other's.
    await eventually(
      () => ana.textContent('.tile[data-peer-id=ben] .name'),
      (name) => name === 'Ben',
      {
        what: "ben's name on ana's page",
      },
    );
    await eventually(
      () => ben.textContent('.tile[data-peer-id=ana] .name'),
      (name) => name === 'Ana',
      {
        what: "ana's name on ben's page",
      },
    );
    expect((await phaseOf(ben)).phase).toBe('in-call');
  });

  it('ends the first page when the same peer id joins again elsewhere, and says so', async () => {
    const token = await room.mint('dup', 'dup-1');
    const first = await browser.open(room.url('dup-1', { token, nameScreenDisabled: true }));
    await eventually(
      () => phaseOf(first),
      (p) => p.phase === 'in-call',
      { what: 'first page in the call' },
    );
    const second = await browser.open(room.url('dup-1', { token, nameScreenDisabled: true }));
    await eventually(
      () => phaseOf(second),
      (p) => p.phase === 'in-call',
      { what: 'second page in the call' },
    );
    const ended = await eventually(
      () => phaseOf(first),
      (p) => p.phase === 'ended',
      { what: 'first page ended' },
    );
    expect(ended.reason).toBe('replaced');
    expect(ended.status).toBe('Someone joined into the room with your ID');
    expect((await phaseOf(second)).phase).toBe('in-call');
  });

  it('lets a webinar viewer watch and hear the speaker, but not publish', async () => {
    const speaker = await browser.open(
      room.url(
        'web-1',
        { token: await room.mint('spk', 'web-1'), itisparticipant: true, nameScreenDisabled: true },
        'webinar',
      ),
    );
    const viewer = await browser.open(
      room.url('web-1', { token: await room.mint('vie', 'web-1'), nameScreenDisabled: true }, 'webinar'),
    );
    const seen = await eventually(
      () => reception(viewer),
      (r) => r.audio > 0 && r.video > 0 && r.videos.some((v) => v.peerId === 'spk' && v.width > 0),
      { what: "the speaker's media on the viewer's page" },
    );
    expect(seen.videos.map((v) => v.peerId)).toEqual(['spk']);
    // No tile, no devices, no sending controls; asking to publish is refused.
    expect(await viewer.locator('.tile.local').count()).toBe(0);
    expect(
      await viewer.locator('[data-control=mic], [data-control=camera], [data-control=share]').count(),
    ).toBe(0);
    expect(await viewer.evaluate('window.conferCall.admitted.role')).toBe('viewer');
    expect(await viewer.evaluate("window.conferCall.enable('camera')")).toBe(false);
    expect(await publishing(viewer, 'camera')).toBe(false);
    // The speaker sees no tile for the viewer and receives nothing from it.
    await eventually(
      () => reception(speaker),
      (r) => r.audio === 0 && r.video === 0,
      { what: 'speaker idle' },
    );
    expect(await speaker.locator('.tile[data-peer-id=vie]').count()).toBe(0);
    expect(await publishing(speaker, 'camera')).toBe(true);
  });

  it('shows why a join is refused, in the language of the link', async () => {
    const wrongRoom = await browser.open(
      room.url('refused-1', { token: await room.mint('zoe', 'another-room'), lang: 'de' }),
    );
    await wrongRoom.click('[data-testid=join]');
    const refused = await eventually(
      () => phaseOf(wrongRoom),
      (p) => p.phase === 'refused',
      { what: 'refused' },
    );
    expect(refused.reason).toBe('wrong_room');
    expect(refused.status).toBe(
      'Sie können diesem Raum nicht beitreten: Diese Einladung gilt für einen anderen Raum',
    );

    const noRoom = await browser.open(`${room.baseUrl}/call/?displayName=Zoe`);
    expect(
      await eventually(
        () => phaseOf(noRoom),
        (p) => p.phase === 'refused',
        { what: 'no room' },
      ),
    ).toMatchObject({
      phase: 'refused',
    });
    expect(await noRoom.textContent('#app')).toBe('This link names no room');
  });

  it('joins with only the devices chosen on the welcome screen', async () => {
    const page = await browser.open(room.url('choice-1', { token: await room.mint('max', 'choice-1') }));
    await page.fill('input[name=displayName]', 'Max');
    await page.selectOption('select[name=camera]', 'none');
    await page.click('[data-testid=join]');
    await eventually(
      () => publishing(page, 'microphone'),
      (on) => on,
      { what: 'microphone on' },
    );
    expect(await publishing(page, 'camera')).toBe(false);
    expect(await page.getAttribute('[data-control=camera]', 'aria-pressed')).toBe('false');
  });

  it('resumes the same peer when its signaling connection drops, and catches up with the room', async () => {
    const kim = await browser.open(
      room.url('resume-1', { token: await room.mint('kim', 'resume-1'), nameScreenDisabled: true }),
    );
    const lou = await browser.open(
      room.url('resume-1', { token: await room.mint('lou', 'resume-1'), nameScreenDisabled: true }),
    );
    await eventually(
      () => reception(kim),
      (r) => r.videos.some((v) => v.peerId === 'lou' && v.width > 0),
      {
        what: "lou's video at kim",
      },
    );

    // Every WebSocket through the gateway drops; media keeps flowing on its own transports.
    await room.restartGateway();
    const before = await reception(kim);
    await eventually(
      () => reception(kim),
      (r) => r.video > before.video,
      { what: 'media still flowing' },
    );

    // Someone joins meanwhile: both resumed pages learn of it and receive the newcomer.
    const max = await browser.open(
      room.url('resume-1', { token: await room.mint('max', 'resume-1'), nameScreenDisabled: true }),
    );
    for (const page of [kim, lou])
      await eventually(
        () => reception(page),
        (r) => r.phase === 'in-call' && r.videos.some((v) => v.peerId === 'max' && v.width > 0),
        { what: "max's video after the resume", timeoutMs: 25_000 },
      );
    expect(await kim.evaluate('window.conferCall.peerId')).toBe('kim');
    await max.close();
  });
});
