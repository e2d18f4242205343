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
    expect((await phaseOf(ben)).phase).toBe('in-call');
  });
});
