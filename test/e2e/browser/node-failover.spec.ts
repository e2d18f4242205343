import { connect, NatsConnection } from 'nats';
import { AnnouncementOf, MediaNodeLoad } from '@confer/contracts';
import { BuiltServiceProcess, spawnBuiltService } from '../../support/built-service.process';
import { freePort } from '../../support/test-env';
import { mediaServiceEnv } from '../../support/media-service.harness';
import { startBrowserRoom, BrowserRoom } from './support/browser-room.harness';
import { eventually, phaseOf, reception, TestBrowser } from './support/browser';

jest.setTimeout(120_000);

type Report = AnnouncementOf<typeof MediaNodeLoad>;

// Two media nodes as their own processes, announcing their load: the rooms service places
// the call on one of them. That node is killed mid-call; the pages find their media server
// gone, join again through the rooms service, land together on the live node, and see and
// hear each other again.
describe('the web client when its media node dies', () => {
  let room: BrowserRoom;
  let browser: TestBrowser;
  let nc: NatsConnection;
  const nodes: Record<string, BuiltServiceProcess> = {};
  const reports: Report[] = [];

  beforeAll(async () => {
    room = await startBrowserRoom();
    for (const nodeId of ['node-x', 'node-y']) {
      const port = await freePort();
      nodes[nodeId] = await spawnBuiltService(
        'media',
        {
          ...mediaServiceEnv(room.auth),
          ROOMS_URL: room.rooms.baseUrl,
          MEDIA_WORKERS: '1',
          MEDIA_NODE_ID: nodeId,
          MEDIA_NODE_REPORT_SECONDS: '0.3',
          // The page reaches each node directly (the front door's routing by node is tested on its own).
          MEDIA_NODE_URL: `http://127.0.0.1:${port}`,
        },
        { port },
      );
    }
    nc = await connect({ servers: room.auth.natsUrl });
    nc.subscribe(MediaNodeLoad.subject, {
      callback: (_e, m) => reports.push(JSON.parse(new TextDecoder().decode(m.data)) as Report),
    });
    await eventually(
      async () => new Set(reports.map((r) => r.nodeId)).size,
      (heard) => heard === 2,
      { what: 'both nodes heard' },
    );
    browser = await TestBrowser.launch();
  });

  afterAll(async () => {
    await browser?.close();
    await nc?.close();
    for (const node of Object.values(nodes)) await node.kill();
    await room?.close();
  });

  const peersOn = (nodeId: string) => reports.filter((r) => r.nodeId === nodeId).at(-1)?.peers ?? 0;

  it('joins again on the live node, and media flows between the pages again', async () => {
    const roomId = 'failover-1';
    const pages = [];
    for (const name of ['ana', 'ben'])
      pages.push(
        await browser.open(
          room.url(roomId, {
            token: await room.mint(name, roomId),
            displayName: name,
            nameScreenDisabled: true,
          }),
        ),
      );
    const [ana, ben] = pages;
    const flowing = async (page: typeof ana, other: string) => {
      const first = await eventually(
        () => reception(page),
        (r) => r.audio > 0 && r.video > 0 && r.videos.some((v) => v.peerId === other && v.width > 0),
        { what: `${other}'s media` },
      );
      await eventually(
        () => reception(page),
        (r) => r.audio > first.audio && r.video > first.video,
        { what: `${other}'s media still growing` },
      );
    };
    await flowing(ana, 'ben');
    await flowing(ben, 'ana');
    const carrying = await eventually(
      async () => Object.keys(nodes).find((id) => peersOn(id) === 2),
      (id) => id !== undefined,
      { what: 'the node carrying the call' },
    );
    const survivor = Object.keys(nodes).find((id) => id !== carrying)!;

    const killedAt = Date.now();
    await nodes[carrying!].kill();

    await eventually(
      async () => peersOn(survivor),
      (n) => n === 2,
      { what: `both pages joined again on ${survivor}`, timeoutMs: 30_000 },
    );
    const backInMs = Date.now() - killedAt;
    for (const page of pages) expect((await phaseOf(page)).phase).toBe('in-call');
    // New consumers on the new node: what each page receives grows again.
    await flowing(ana, 'ben');
    await flowing(ben, 'ana');
    process.stdout.write(`pages back in the call on ${survivor} ${backInMs} ms after their node died\n`);
  });
});
