import type { Frame, Page } from 'playwright-core';
import { startBrowserRoom, BrowserRoom } from './support/browser-room.harness';
import { eventually, phaseOf, TestBrowser } from './support/browser';
import { HostPages, startHostPages } from './support/host-page.server';
import { spawnRecordingService, RecordingServiceProcess } from './support/recording-service.process';

jest.setTimeout(120_000);

const ROOM = 'rec-1';
const EMBEDDED_ROOM = 'rec-2';

/** What a page shows of the room's recording: the indicator, and the Record / Stop control if any. */
interface RecordingView {
  indicator: { recording: string; text: string; visible: boolean; role: string; live: string };
  control: { text: string; action: string; disabled: boolean } | null;
}

async function recordingView(page: Page | Frame): Promise<RecordingView> {
  const indicator = page.locator('[data-testid=recording-indicator]');
  const control = page.locator('[data-control=record]');
  return {
    indicator: {
      recording: (await indicator.getAttribute('data-recording')) ?? '',
      text: ((await indicator.textContent()) ?? '').trim(),
      visible: await indicator.isVisible(),
      role: (await indicator.getAttribute('role')) ?? '',
      live: (await indicator.getAttribute('aria-live')) ?? '',
    },
    control: (await control.count())
      ? {
          text: ((await control.textContent()) ?? '').trim(),
          action: (await control.getAttribute('data-action')) ?? '',
          disabled: await control.isDisabled(),
        }
      : null,
  };
}

/** This page's own Record / Stop request as the call keeps it (read-only, as the other specs read conferCall). */
async function requestState(
  page: Page,
): Promise<{ inFlight: string | null; refusal: { code: string } | null }> {
  return (await page.evaluate(`(() => {
    const { inFlight, refusal } = window.conferCall.recording.state;
    return { inFlight, refusal };
  })()`)) as { inFlight: string | null; refusal: { code: string } | null };
}

describe('recording in Chromium: a moderator records, everyone sees that the room is recorded', () => {
  let room: BrowserRoom;
  let recording: RecordingServiceProcess;
  let browser: TestBrowser;
  let host: HostPages;

  beforeAll(async () => {
    room = await startBrowserRoom();
    // The real recording service on the same bus: the media service asks it to start and stop.
    recording = await spawnRecordingService(room.auth);
    browser = await TestBrowser.launch();
    host = await startHostPages(`${room.baseUrl}/meetBridgeApi.js`);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await recording?.stop();
    await room?.close();
  });

  /** The room came to life on the bus (the recording service follows room life there). */
  async function roomStarted(roomId: string): Promise<void> {
    await room.tap.waitFor(
      (events) =>
        events.some(
          (e) => e.type === 'io.confer.room.started' && (e.data as { roomId?: string }).roomId === roomId,
        ),
      15_000,
    );
  }

  /** A failure names what the recording service said, which is where most causes are. */
  async function withServiceLog<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      throw new Error(`${(error as Error).message}\nrecording service: ${recording.stderr.slice(-3000)}`);
    }
  }

  /**
   * Presses Record until the service accepts. The recording service takes a start only
   * once it has read the room's room.started from the bus; until then the media service
   * answers room_not_live, which the page words for the person, who tries again.
   */
  async function pressRecord(page: Page): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.click('[data-control=record][data-action=start]');
      const answered = await eventually(
        () => requestState(page),
        (s) => s.inFlight === null,
        { what: 'the answer to Record' },
      );
      if (!answered.refusal) return;
      if (answered.refusal.code !== 'room_not_live' || Date.now() > deadline)
        throw new Error(`Record was refused: ${JSON.stringify(answered.refusal)}`);
      expect(await page.textContent('[data-testid=notice]')).toBe(
        'The room is not ready to be recorded yet; try again in a moment',
      );
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('shows Record to the moderator allowed to record only; Record and Stop show and hide the indicator on both pages', async () => {
    const mia = await browser.open(
      room.url(ROOM, {
        token: await room.mint('mia', ROOM, {
          role: 'moderator',
          displayName: 'Mia',
          attributes: { canRecord: true },
        }),
        nameScreenDisabled: true,
      }),
    );
    const pat = await browser.open(
      room.url(ROOM, {
        token: await room.mint('pat', ROOM, { displayName: 'Pat' }),
        nameScreenDisabled: true,
      }),
    );
    for (const [page, who] of [
      [mia, 'mia'],
      [pat, 'pat'],
    ] as const)
      await eventually(
        () => phaseOf(page),
        (p) => p.phase === 'in-call',
        { what: `${who} in the call` },
      );

    // Only the moderator whose token carries canRecord gets the control; nobody is recorded yet.
    const before = { mia: await recordingView(mia), pat: await recordingView(pat) };
    expect(before.mia.control).toEqual({ text: 'Record', action: 'start', disabled: false });
    expect(before.pat.control).toBeNull();
    for (const view of [before.mia, before.pat])
      expect(view.indicator).toMatchObject({ recording: 'false', text: '', role: 'status', live: 'polite' });

    await roomStarted(ROOM);

    // Record: the recorder joins the room, and the media service tells every peer.
    await withServiceLog(pressRecord(mia));
    for (const [page, who] of [
      [mia, 'the moderator'],
      [pat, 'the participant'],
    ] as const)
      await withServiceLog(
        eventually(
          () => recordingView(page),
          (v) => v.indicator.recording === 'true' && v.indicator.visible && v.indicator.text === 'Recording',
          { what: `the recording indicator at ${who}`, timeoutMs: 30_000 },
        ),
      );
    await eventually(
      () => recordingView(mia),
      (v) => v.control?.action === 'stop' && !v.control.disabled,
      { what: "the moderator's Stop" },
    );
    expect((await recordingView(mia)).control?.text).toBe('Stop recording');
    expect((await recordingView(pat)).control).toBeNull();

    // Stop: the recorder leaves, and the indicator goes on both pages.
    await mia.click('[data-control=record][data-action=stop]');
    for (const [page, who] of [
      [mia, 'the moderator'],
      [pat, 'the participant'],
    ] as const)
      await withServiceLog(
        eventually(
          () => recordingView(page),
          (v) => v.indicator.recording === 'false' && v.indicator.text === '',
          { what: `no recording indicator at ${who}`, timeoutMs: 30_000 },
        ),
      );
    await eventually(
      () => recordingView(mia),
      (v) => v.control?.action === 'start' && !v.control.disabled,
      { what: "the moderator's Record again" },
    );
    expect((await requestState(mia)).refusal).toBeNull();
  });

  it('is driven and heard through the iframe bridge: every participant hears recordingChanged, kept across a resume', async () => {
    type Outcome = { ok?: unknown; error?: string };
    const events = (page: Page) =>
      page.evaluate('window.events') as Promise<Array<{ name: string; data?: unknown }>>;
    const method = (page: Page, name: string) =>
      page.evaluate(
        `window.bridge.method({ name: ${JSON.stringify(name)} }).then((ok) => ({ ok }), (e) => ({ error: e.message }))`,
      ) as Promise<Outcome>;
    const roomFrame = (page: Page): Frame => page.frames().find((f) => f.url().includes('/call/'))!;
    const embed = async (identity: string, extra: Record<string, unknown>) => {
      const roomUrl = room.url(EMBEDDED_ROOM, {
        token: await room.mint(identity, EMBEDDED_ROOM, extra),
        nameScreenDisabled: true,
      });
      const page = await browser.open(
        `${host.origin}/host.html?roomId=${EMBEDDED_ROOM}&room=${encodeURIComponent(roomUrl)}`,
      );
      await eventually(
        () => events(page),
        (e) => e.some((x) => x.name === 'readyToJoin'),
        { what: `${identity}'s readyToJoin` },
      );
      await page.evaluate(
        "window.bridge.method({ name: 'join', data: { constraints: { audio: true, video: true } } })",
      );
      await eventually(
        () => events(page),
        (e) => e.some((x) => x.name === 'join'),
        { what: `${identity} joined` },
      );
      return page;
    };
    const ida = await embed('ida', {
      role: 'moderator',
      displayName: 'Ida',
      attributes: { canRecord: true },
    });
    const ned = await embed('ned', { displayName: 'Ned' });
    expect(await method(ida, 'isRecording')).toEqual({ ok: false });
    // A participant may not record: refused by its page, with the code first.
    expect((await method(ned, 'startRecording')).error).toMatch(/^not_allowed_to_record: /);
    await roomStarted(EMBEDDED_ROOM);

    // startRecording resolves with the recording's id (tried again while the service has not seen the room live).
    const deadline = Date.now() + 20_000;
    let started: Outcome;
    for (;;) {
      started = await method(ida, 'startRecording');
      if (!started.error?.startsWith('room_not_live:') || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(started.error).toBeUndefined();
    expect(started.ok).toEqual({ recordingId: expect.any(String) });
    for (const [page, who] of [
      [ida, 'ida'],
      [ned, 'ned'],
    ] as const)
      await withServiceLog(
        eventually(
          () => events(page),
          (e) =>
            e.some(
              (x) => x.name === 'recordingChanged' && (x.data as { recording?: boolean })?.recording === true,
            ),
          { what: `recordingChanged { recording: true } at ${who}`, timeoutMs: 30_000 },
        ),
      );
    expect((await recordingView(roomFrame(ned))).indicator).toMatchObject({
      recording: 'true',
      text: 'Recording',
    });
    expect(await method(ned, 'isRecording')).toEqual({ ok: true });

    // Every signaling socket drops and both pages resume: the room is still shown as recorded.
    for (const page of [ida, ned])
      await roomFrame(page).evaluate(
        "window.conferCall.session.on('reconnected', () => { window.resumed = true; })",
      );
    await room.restartGateway();
    for (const [page, who] of [
      [ida, 'ida'],
      [ned, 'ned'],
    ] as const)
      await eventually(
        () => roomFrame(page).evaluate('window.resumed === true'),
        (resumed) => resumed === true,
        { what: `${who} resumed`, timeoutMs: 20_000 },
      );
    expect((await recordingView(roomFrame(ned))).indicator).toMatchObject({
      recording: 'true',
      text: 'Recording',
    });
    expect(await method(ned, 'isRecording')).toEqual({ ok: true });

    // stopRecording through the resumed connection; everyone hears it stop.
    expect(await method(ida, 'stopRecording')).toEqual({ ok: started.ok });
    for (const [page, who] of [
      [ida, 'ida'],
      [ned, 'ned'],
    ] as const)
      await withServiceLog(
        eventually(
          () => events(page),
          (e) =>
            e.some(
              (x) =>
                x.name === 'recordingChanged' && (x.data as { recording?: boolean })?.recording === false,
            ),
          { what: `recordingChanged { recording: false } at ${who}`, timeoutMs: 30_000 },
        ),
      );
    expect((await recordingView(roomFrame(ned))).indicator).toMatchObject({ recording: 'false', text: '' });

    // Stop again: the service's refusal, code first for the integrator, and worded in the page.
    expect((await method(ida, 'stopRecording')).error).toMatch(/^not_recording: /);
    expect(await roomFrame(ida).textContent('[data-testid=notice]')).toBe('This room is not being recorded');
  });
});
