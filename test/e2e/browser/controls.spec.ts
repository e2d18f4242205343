import { startBrowserRoom, BrowserRoom } from './support/browser-room.harness';
import { eventually, phaseOf, publishing, reception, TestBrowser } from './support/browser';

jest.setTimeout(90_000);

describe('the call controls in Chromium: chat, microphone, hand, pin, language', () => {
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

  it('chats, mutes, shares a screen, raises a hand and pins a tile; a French link shows French controls', async () => {
    const eva = await browser.open(
      room.url('ctl-1', {
        token: await room.mint('eva', 'ctl-1'),
        displayName: 'Eva',
        handEnabled: true,
        nameScreenDisabled: true,
      }),
    );
    const leo = await browser.open(
      room.url('ctl-1', {
        token: await room.mint('leo', 'ctl-1'),
        displayName: 'Léo',
        handEnabled: true,
        nameScreenDisabled: true,
        lang: 'fr',
      }),
    );
    for (const [page, other] of [
      [eva, 'leo'],
      [leo, 'eva'],
    ] as const)
      await eventually(
        () => reception(page),
        (r) =>
          r.videos.some((v) => v.peerId === other && v.width > 0) &&
          r.tracks.some((t) => t.startsWith(`${other}:microphone`)),
        { what: `${other}'s media` },
      );

    // Language: the link's lang wins over the browser's.
    expect(await leo.textContent('[data-control=leave]')).toBe('Quitter');
    expect(await leo.textContent('[data-control=camera]')).toBe('Couper la caméra');
    expect(await eva.textContent('[data-control=leave]')).toBe('Leave');

    // Chat through the media service's signaling.
    await eva.click('[data-control=chat]');
    await eva.fill('[data-testid=chat] input[name=chat]', 'Bonjour Léo');
    await eva.press('[data-testid=chat] input[name=chat]', 'Enter');
    await leo.click('[data-control=chat]');
    await eventually(
      () => leo.locator('[data-testid=chat] li[data-peer-id=eva] .text').allTextContents(),
      (texts) => texts.includes('Bonjour Léo'),
      { what: "eva's message on leo's page" },
    );
    expect(await eva.locator('[data-testid=chat] li[data-peer-id=eva] .text').allTextContents()).toEqual([
      'Bonjour Léo',
    ]);

    // Microphone off: the producer closes, so Léo's page stops receiving Eva's audio.
    await eva.click('[data-control=mic]');
    await eventually(
      () => publishing(eva, 'microphone'),
      (on) => !on,
      { what: "eva's mic off" },
    );
    await eventually(
      () => reception(leo),
      (r) => !r.tracks.some((t) => t.startsWith('eva:microphone')),
      { what: "leo no longer receiving eva's microphone" },
    );
    await eventually(
      () => eva.getAttribute('[data-control=mic]', 'aria-pressed'),
      (v) => v === 'false',
      {
        what: 'mic button released',
      },
    );

    // A raised hand is recorded by the rooms service.
    await eva.click('[data-control=hand]');
    const peers = async () =>
      (
        (await (await room.api('/v1/rooms/ctl-1/peers')).json()) as {
          peers: Array<{ peerId: string; handRaised: boolean }>;
        }
      ).peers;
    await eventually(peers, (list) => list.some((p) => p.peerId === 'eva' && p.handRaised), {
      what: 'hand raised',
    });
    await eventually(
      () => eva.getAttribute('[data-control=hand]', 'aria-pressed'),
      (v) => v === 'true',
      {
        what: 'hand button pressed',
      },
    );

    // Everyone sees the hand on Eva's tile, through the media service.
    await eventually(
      () => leo.locator('.tile[data-peer-id=eva].hand-raised').count(),
      (n) => n === 1,
      { what: "the hand on eva's tile at leo" },
    );
    await eva.click('[data-control=hand]');
    await eventually(
      () => leo.locator('.tile[data-peer-id=eva].hand-raised').count(),
      (n) => n === 0,
      { what: "eva's hand down at leo" },
    );

    // Screen sharing is its own producer: Léo receives it beside Eva's camera.
    await eva.click('[data-control=share]');
    await eventually(
      () => reception(leo),
      (r) =>
        r.tracks.some((t) => t.startsWith('eva:screen:live')) &&
        r.tracks.some((t) => t.startsWith('eva:camera')),
      { what: "eva's screen at leo" },
    );
    await eva.click('[data-control=share]');
    await eventually(
      () => reception(leo),
      (r) => !r.tracks.some((t) => t.startsWith('eva:screen')),
      {
        what: "eva's screen gone at leo",
      },
    );

    // Pin: only the pinned tile stays on the stage.
    await eva.click('.tile[data-peer-id=leo] .pin');
    expect(await eva.locator('.tile[data-peer-id=leo]').isVisible()).toBe(true);
    expect(await eva.locator('.tile.local').isVisible()).toBe(false);
    await eva.click('.tile[data-peer-id=leo] .pin');
    expect(await eva.locator('.tile.local').isVisible()).toBe(true);

    // Leaving: the other page sees the tile go.
    await leo.click('[data-control=leave]');
    expect(
      (
        await eventually(
          () => phaseOf(leo),
          (p) => p.phase === 'ended',
          { what: 'leo left' },
        )
      ).status,
    ).toBe('Vous avez quitté la salle');
    await eventually(
      () => eva.locator('.tile[data-peer-id=leo]').count(),
      (n) => n === 0,
      { what: "leo's tile gone" },
    );
  });

  it("offers an interpreter's language once it is live, and listens to it with the original muted", async () => {
    const listener = await browser.open(
      room.url('ctl-int', {
        token: await room.mint('lisa', 'ctl-int'),
        displayName: 'Lisa',
        nameScreenDisabled: true,
      }),
    );
    await eventually(
      () => phaseOf(listener),
      (p) => p.phase === 'in-call',
      { what: 'lisa in the call' },
    );
    // No interpreter yet: no picker.
    expect(await listener.locator('[data-control=interpretation]').count()).toBe(0);

    const interpreter = await browser.open(
      room.url('ctl-int', {
        token: await room.mint('ingo', 'ctl-int', {
          role: 'interpreter',
          displayName: 'Ingo',
          attributes: { intLang: 'de' },
        }),
        nameScreenDisabled: true,
      }),
    );
    await eventually(
      () => publishing(interpreter, 'microphone'),
      (on) => on,
      { what: "the interpreter's microphone" },
    );
    await eventually(
      () =>
        listener
          .locator('[data-control=interpretation] option')
          .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value)),
      (values) => values.join(',') === ',de',
      { what: 'the picker offering the original and German' },
    );
    expect(await listener.getAttribute('[data-control=mute-original]', 'disabled')).not.toBeNull();

    const listening = () => listener.evaluate('window.conferCall.session.listening');
    await listener.selectOption('[data-control=interpretation]', 'de');
    await eventually(listening, (l) => JSON.stringify(l) === '{"language":"de","muteOriginal":false}', {
      what: 'listening to German',
    });
    await listener.click('[data-control=mute-original]');
    await eventually(listening, (l) => JSON.stringify(l) === '{"language":"de","muteOriginal":true}', {
      what: 'the original muted',
    });
    expect(await listener.getAttribute('[data-control=mute-original]', 'aria-pressed')).toBe('true');
    await eventually(
      () => reception(listener),
      (r) => r.tracks.some((t) => t.startsWith('ingo:microphone:live')),
      { what: "the interpreter's voice at lisa" },
    );

    // The choice survives a signaling resume: the page says it again, and the server's answer agrees.
    await listener.evaluate("window.conferCall.session.on('reconnected', () => { window.resumed = true; })");
    await room.restartGateway();
    await eventually(
      () => listener.evaluate('window.resumed === true'),
      (resumed) => resumed === true,
      { what: 'lisa resumed' },
    );
    expect(await listening()).toEqual({ language: 'de', muteOriginal: true });
    expect(await listener.inputValue('[data-control=interpretation]')).toBe('de');

    await listener.selectOption('[data-control=interpretation]', '');
    await eventually(listening, (l) => JSON.stringify(l) === '{"language":null,"muteOriginal":false}', {
      what: 'back to the original',
    });
  });

  it('hides the chat when the link disables it, and the controls when asked', async () => {
    const page = await browser.open(
      room.url('ctl-2', {
        token: await room.mint('solo', 'ctl-2'),
        disableChat: true,
        nameScreenDisabled: true,
      }),
    );
    await eventually(
      () => phaseOf(page),
      (p) => p.phase === 'in-call',
      { what: 'in the call' },
    );
    expect(await page.locator('[data-control=chat]').count()).toBe(0);
    expect(await page.locator('[data-control=mic]').count()).toBe(1);
    // Page-only attributes: no indicators, small tiles, the shared player above them.
    const styled = await browser.open(
      room.url('ctl-2', {
        token: await room.mint('styled', 'ctl-2'),
        hideIndicators: true,
        minimizeTiles: true,
        video: `${room.baseUrl}/healthz`,
        nameScreenDisabled: true,
      }),
    );
    await eventually(
      () => phaseOf(styled),
      (p) => p.phase === 'in-call',
      { what: 'in the call' },
    );
    expect(await styled.getAttribute('[data-testid=tiles]', 'class')).toBe('tiles minimized hide-indicators');
    expect(await styled.locator('.tile[data-peer-id=solo] .overlay').isVisible()).toBe(false);
    expect(await styled.getAttribute('iframe.shared-player', 'src')).toBe(`${room.baseUrl}/healthz`);

    const hidden = await browser.open(
      room.url('ctl-3', {
        token: await room.mint('quiet', 'ctl-3'),
        controlsDisabled: true,
        nameScreenDisabled: true,
      }),
    );
    await eventually(
      () => phaseOf(hidden),
      (p) => p.phase === 'in-call',
      { what: 'in the call' },
    );
    expect(await hidden.locator('[data-testid=controls]').isVisible()).toBe(false);
  });
});
