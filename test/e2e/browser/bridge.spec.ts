import type { Frame, Page } from 'playwright-core';
import { startBrowserRoom, BrowserRoom } from './support/browser-room.harness';
import { eventually, reception, TestBrowser } from './support/browser';
import { HostPages, startHostPages } from './support/host-page.server';

jest.setTimeout(90_000);

interface Recorded {
  name: string;
  data?: { peerId?: string; displayName?: string | null };
}

describe('the iframe bridge: a host page on another origin drives a room and hears its events', () => {
  let room: BrowserRoom;
  let browser: TestBrowser;
  let host: HostPages;

  beforeAll(async () => {
    room = await startBrowserRoom();
    browser = await TestBrowser.launch();
    host = await startHostPages(`${room.baseUrl}/meetBridgeApi.js`);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await room?.close();
  });

  const events = (page: Page) => page.evaluate('window.events') as Promise<Recorded[]>;
  const call = (page: Page, name: string, data?: unknown) =>
    page.evaluate(
      `window.bridge.method({ name: ${JSON.stringify(name)}, data: ${JSON.stringify(data ?? null)} })`,
    );
  const roomFrame = (page: Page): Frame => page.frames().find((f) => f.url().includes('/call/'))!;

  it('joins through the bridge, switches devices, pins and screenshots a peer, and ignores strangers', async () => {
    const roomUrl = room.url('bridge-1', {
      token: await room.mint('hub', 'bridge-1'),
      displayName: 'Hub',
      nameScreenDisabled: true,
    });
    const page = await browser.open(
      `${host.origin}/host.html?roomId=bridge-1&room=${encodeURIComponent(roomUrl)}`,
    );
    await eventually(
      () => events(page),
      (e) => ['ready', 'readyToJoin'].every((n) => e.some((x) => x.name === n)),
      { what: 'ready and readyToJoin' },
    );
    // Embedded with nameScreenDisabled, the room waits for the integrator's join.
    expect((await events(page)).some((e) => e.name === 'join')).toBe(false);

    await call(page, 'join', { constraints: { audio: true, video: true } });
    const joined = await eventually(
      () => events(page),
      (e) => ['join', 'switchOnMic', 'switchOnCamera'].every((n) => e.some((x) => x.name === n)),
      { what: 'join and devices on' },
    );
    expect(joined.find((e) => e.name === 'join')!.data).toEqual({ peerId: 'hub', displayName: 'Hub' });
    expect(await call(page, 'isCameraEnabled')).toBe(true);
    expect(await call(page, 'isMicroEnabled')).toBe(true);

    // Another participant arrives: newPeer, and its video plays in the frame.
    const guest = await browser.open(
      room.url('bridge-1', { token: await room.mint('guest', 'bridge-1'), nameScreenDisabled: true }),
    );
    await eventually(
      () => events(page),
      (e) => e.some((x) => x.name === 'newPeer' && x.data?.peerId === 'guest'),
      { what: 'newPeer guest' },
    );
    await eventually(
      () => reception(roomFrame(page) as unknown as Page),
      (r) => r.videos.some((v) => v.peerId === 'guest' && v.width > 0),
      { what: "guest's video in the frame" },
    );

    await call(page, 'disableWebcam');
    await eventually(
      () => events(page),
      (e) => e.some((x) => x.name === 'switchOffCamera'),
      {
        what: 'switchOffCamera',
      },
    );
    expect(await call(page, 'isCameraEnabled')).toBe(false);
    await eventually(
      () => reception(guest),
      (r) => !r.tracks.some((t) => t.startsWith('hub:camera')),
      {
        what: "guest no longer receiving hub's camera",
      },
    );

    expect(await call(page, 'enablePin', 'guest')).toBe(true);
    expect((await events(page)).some((e) => e.name === 'switchOnPin' && e.data?.peerId === 'guest')).toBe(
      true,
    );
    const shot = (await call(page, 'getScreenshotByPeerId', 'guest')) as string;
    expect(shot).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]{100,}/);

    await call(page, 'setLocale', 'de');
    expect(await roomFrame(page).textContent('[data-control=leave]')).toBe('Verlassen');
    await expect(call(page, 'setLocale', 'xx')).rejects.toThrow('en, fr, de, lb, ru');
    await expect(call(page, 'disableAllMics')).rejects.toThrow('only a moderator');

    // A frame of a third origin posts a method to the room, and forges an event to the host: both ignored.
    await page.evaluate(`(() => {
      const intruder = document.createElement('iframe');
      intruder.src = ${JSON.stringify(`${host.otherOrigin}/intruder.html?roomId=bridge-1`)};
      document.body.append(intruder);
      return new Promise((resolve) => intruder.addEventListener('load', resolve));
    })()`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await call(page, 'isMicroEnabled')).toBe(true);
    expect((await events(page)).some((e) => e.data?.peerId === 'forged')).toBe(false);

    // The guest leaves: peerClosed.
    await guest.close();
    await eventually(
      () => events(page),
      (e) => e.some((x) => x.name === 'peerClosed' && x.data?.peerId === 'guest'),
      { what: 'peerClosed guest' },
    );
  });
});
