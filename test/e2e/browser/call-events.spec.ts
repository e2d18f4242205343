import { createServer, Server } from 'http';
import type { Page } from 'playwright-core';
import { startBrowserRoom, BrowserRoom } from './support/browser-room.harness';
import { eventually, phaseOf, reception, TestBrowser } from './support/browser';
import { startStatsService, RunningStatsService } from '../../support/stats-service.harness';
import { startWebhooksService, RunningWebhooksService } from '../../support/webhooks-service.harness';
import { freePort } from '../../support/test-env';

jest.setTimeout(120_000);

interface Received {
  path: string;
  body: { event?: string; roomId?: string; peerId?: string; displayName?: string };
}

describe('a call in Chromium as the webhooks and stats services of the same run see it', () => {
  let room: BrowserRoom;
  let browser: TestBrowser;
  let stats: RunningStatsService;
  let webhooks: RunningWebhooksService;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];

  beforeAll(async () => {
    room = await startBrowserRoom();
    stats = await startStatsService(room.auth);
    webhooks = await startWebhooksService(room.auth);
    const port = await freePort();
    receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(raw || '{}') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${port}/gcore`;
    browser = await TestBrowser.launch();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    await webhooks?.close();
    await stats?.close();
    await room?.close();
  });

  it("announces the link's joins and leaves at apiEvent, and counts the sessions", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const pages: Page[] = [];
    for (const [peerId, displayName] of [
      ['uma', 'Uma'],
      ['vic', 'Vic'],
    ])
      pages.push(
        await browser.open(
          room.url('ev-1', {
            token: await room.mint(peerId, 'ev-1'),
            displayName,
            apiEvent: receiverUrl,
            nameScreenDisabled: true,
          }),
        ),
      );
    await eventually(
      () => reception(pages[0]),
      (r) => r.videos.some((v) => v.peerId === 'vic' && v.width > 0),
      { what: "vic's video at uma" },
    );
    for (const page of pages) {
      await page.click('[data-control=leave]');
      await eventually(
        () => phaseOf(page),
        (p) => p.phase === 'ended',
        { what: 'left' },
      );
    }

    // Gcore's joinPeer and closePeer, at the apiEvent the link carried.
    const seen = await eventually(
      async () => received.map((r) => `${r.path} ${r.body.event} ${r.body.peerId}`).sort(),
      (lines) => lines.length >= 4,
      { what: 'joinPeer and closePeer for both', timeoutMs: 30_000 },
    );
    expect(seen).toEqual([
      '/gcore/closePeer disconnected uma',
      '/gcore/closePeer disconnected vic',
      '/gcore/joinPeer connected uma',
      '/gcore/joinPeer connected vic',
    ]);
    expect(received.find((r) => r.path.endsWith('joinPeer') && r.body.peerId === 'uma')?.body).toMatchObject({
      roomId: 'ev-1',
      displayName: 'Uma',
    });

    // Gcore's attendance statistics: both sessions, closed.
    const to = new Date(Date.now() + 60_000).toISOString();
    const rows = await eventually(
      async () => {
        const response = await fetch(
          `${stats.baseUrl}/streaming/statistics/peers?room_id=ev-1&from=${from}&to=${to}`,
          { headers: { authorization: `Bearer ${room.accessToken}` } },
        );
        if (response.status !== 200) return [];
        return ((await response.json()) as { data: Array<{ person_id: string; leave_time: string | null }> })
          .data;
      },
      (data) => data.length === 2 && data.every((row) => row.leave_time !== null),
      { what: 'two closed sessions in the statistics', timeoutMs: 30_000 },
    );
    expect(rows.map((row) => row.person_id).sort()).toEqual(['uma', 'vic']);
  });
});
