import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { chromium, BrowserContext, Page } from 'playwright-core';

/** Debian's own Chromium (scripts/setup.sh installs it for the tests); playwright-core downloads none. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A synthetic camera (a moving test pattern) and microphone (a beep), allowed without asking.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // Headless tabs in the background must keep decoding video and running timers.
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--autoplay-policy=no-user-gesture-required',
  '--auto-select-desktop-capture-source=Entire screen',
];

/** One Chromium with a fresh profile of its own; every page in it is one participant. */
export class TestBrowser {
  readonly pages: Page[] = [];

  private constructor(
    readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<TestBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'confer-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 960, height: 600 },
    });
    await context.grantPermissions(['camera', 'microphone']);
    return new TestBrowser(context, profile);
  }

  /** Opens a page, keeping its console errors in the test output for when something fails. */
  async open(url: string): Promise<Page> {
    const page = await this.context.newPage();
    page.on('pageerror', (error) => console.error(`[page ${url}] ${error.message}`));
    if (process.env.CONFER_BROWSER_CONSOLE)
      page.on('console', (m) => console.log(`[page ${url.slice(0, 60)}] ${m.type()} ${m.text()}`));
    this.pages.push(page);
    await page.goto(url);
    return page;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** Polls `probe` until `accept` holds; fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`${what} not met within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** What a participant's page receives: RTP bytes by kind (from getStats()) and its remote videos' sizes. */
export interface Reception {
  audio: number;
  video: number;
  videos: Array<{ peerId: string; width: number; height: number }>;
  /** peerId:source:readyState of each consumer, for failure messages. */
  tracks: string[];
  phase: string;
  /** What the page says when it is not in the call (a refusal, an ending). */
  status?: string;
}

export async function reception(page: Page): Promise<Reception> {
  return (await page.evaluate(`(async () => {
    const call = window.conferCall;
    const bytes = call && call.session ? await call.session.inboundBytes() : { audio: 0, video: 0 };
    const videos = [...document.querySelectorAll('.tile:not(.local) video')].map((v) => ({
      peerId: v.dataset.peerId, width: v.videoWidth, height: v.videoHeight,
    }));
    const tracks = call && call.session ? call.session.remoteTracks().map((r) => r.peerId + ':' + r.source + ':' + r.track.readyState + (r.track.muted ? ':muted' : '')) : [];
    const root = document.getElementById('app');
    const status = document.querySelector('.status');
    const phase = root.dataset.phase;
    const shown = phase === 'in-call' ? undefined : status ? status.textContent : root.innerText.slice(0, 200);
    return { ...bytes, videos, tracks, phase, ...(shown !== undefined ? { status: shown } : {}) };
  })()`)) as Reception;
}

/** The page's phase (welcome, joining, waiting, in-call, ended, refused) and what its status line says. */
export async function phaseOf(page: Page): Promise<{ phase: string; status: string; reason: string }> {
  return (await page.evaluate(`(() => {
    const root = document.getElementById('app');
    const status = document.querySelector('[data-testid=status], [data-testid=ended], [data-testid=refused]');
    return { phase: root.dataset.phase, status: status ? status.textContent : '', reason: status ? status.dataset.reason || '' : '' };
  })()`)) as { phase: string; status: string; reason: string };
}

/** Whether the page sends media of a source right now (its producer is open and not paused). */
export async function publishing(page: Page, source: string): Promise<boolean> {
  return (await page.evaluate(`window.conferCall.isOn(${JSON.stringify(source)})`)) as boolean;
}
