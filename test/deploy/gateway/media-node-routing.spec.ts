import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { WebSocket, WebSocketServer } from 'ws';
import { AnnouncementOf, MediaNodeLoad, parseWith } from '@confer/contracts';
import { PrivateNatsServer, startPrivateNatsServer } from '../../support/private-nats-server';
import { freePort, TEST_NATS_URL } from '../../support/test-env';
import { FrontDoorProcess, startFrontDoor, waitFor } from '../../support/front-door.process';

// Many media nodes behind one public host: each announces on NATS where it is reached
// inside the network (`origin`), and the front door sends /v1/media/nodes/<nodeId>/… to it,
// prefix stripped. Here each "node" is a real HTTP and WebSocket server that says who it is.

type Report = AnnouncementOf<typeof MediaNodeLoad>;
/** What a fake node answers: who it is, and the path it was asked for (or what it echoes). */
type NodeSays = { node: string; path?: string; echo?: string };
const REPORT_MS = 200; // so a silent node is dropped after 2.5 intervals: 500 ms

interface FakeNode {
  nodeId: string;
  origin: string;
  server: http.Server;
}

async function startFakeNode(nodeId: string): Promise<FakeNode> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ node: nodeId, path: req.url }));
  });
  const signaling = new WebSocketServer({ server, path: '/v1/media/ws' });
  signaling.on('connection', (socket, req) => {
    socket.send(JSON.stringify({ node: nodeId, path: req.url }));
    socket.on('message', (data) => socket.send(JSON.stringify({ node: nodeId, echo: String(data) })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { nodeId, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function reportOf(node: { nodeId: string; origin?: string }, change: Partial<Report> = {}): Report {
  const report: Report = {
    nodeId: node.nodeId,
    serverGroup: 'serv0',
    url: `https://meet.example.com/v1/media/nodes/${node.nodeId}`,
    origin: node.origin,
    state: 'active',
    reportedAt: new Date().toISOString(),
    intervalMs: REPORT_MS,
    workers: 2,
    rooms: 0,
    peers: 0,
    transports: 0,
    producers: 0,
    consumers: 0,
    cpu: 0,
    maxConsumers: 1000,
    ...change,
  };
  // What the front door hears is what a real node sends: the contract's own check.
  return parseWith(MediaNodeLoad.schema, report, 'report');
}

/** Opens a WebSocket and resolves with its first message, or rejects with the refusal's status. */
function firstMessage(url: string): Promise<{ socket: WebSocket; message: NodeSays }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('message', (data) => resolve({ socket, message: JSON.parse(String(data)) }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => reject({ status: res.statusCode, body: body ? JSON.parse(body) : undefined }));
    });
    socket.once('error', reject);
  });
}

describe('the front door routing signaling to one media node', () => {
  const run = randomBytes(3).toString('hex'); // node ids no other run on a shared NATS uses
  let nats: PrivateNatsServer | undefined;
  let nc: NatsConnection;
  let frontDoor: FrontDoorProcess;
  let base: string;
  let a: FakeNode;
  let b: FakeNode;
  const announcing = new Map<string, NodeJS.Timeout>();

  const publish = (payload: unknown) =>
    nc.publish(
      MediaNodeLoad.subject,
      typeof payload === 'string' ? payload : new TextEncoder().encode(JSON.stringify(payload)),
    );
  const announce = (node: FakeNode) => {
    publish(reportOf(node));
    announcing.set(
      node.nodeId,
      setInterval(() => publish(reportOf(node)), REPORT_MS),
    );
  };
  const silence = (node: FakeNode) => clearInterval(announcing.get(node.nodeId));
  /** Reports travel through NATS: wait until the front door has heard of the node. */
  const untilRoutable = async (nodeId: string) => {
    const deadline = Date.now() + 5000;
    while ((await fetch(`${base}/v1/media/nodes/${nodeId}/healthz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`the front door never heard of ${nodeId}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    nats = await startPrivateNatsServer(await freePort());
    const natsUrl = nats?.url ?? TEST_NATS_URL;
    nc = await connect({ servers: natsUrl });
    a = await startFakeNode(`node-a-${run}`);
    b = await startFakeNode(`node-b-${run}`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    frontDoor = startFrontDoor({
      CONFER_UPSTREAMS: JSON.stringify(
        Object.fromEntries(
          ['auth', 'rooms', 'stats', 'webhooks', 'media', 'recording'].map((s) => [s, 'http://127.0.0.1:9']),
        ),
      ),
      PORT: String(port),
      NATS_URL: natsUrl,
    });
    await waitFor(
      () => frontDoor.output().includes('following media node reports'),
      'the front door to follow the reports',
    );
    announce(a);
    announce(b);
    await untilRoutable(a.nodeId);
    await untilRoutable(b.nodeId);
  });

  afterAll(async () => {
    for (const timer of announcing.values()) clearInterval(timer);
    frontDoor?.child.kill('SIGTERM');
    await nc?.close();
    await Promise.all([a, b].map((n) => n && new Promise((r) => n.server.close(r))));
    await nats?.stop();
  });

  it('opens the signaling WebSocket of the node the URL names, at the path the node serves', async () => {
    for (const node of [a, b]) {
      const { socket, message } = await firstMessage(
        `ws://${base.slice('http://'.length)}/v1/media/nodes/${node.nodeId}/v1/media/ws?v=1`,
      );
      expect(message).toEqual({ node: node.nodeId, path: '/v1/media/ws?v=1' });
      // And the conversation goes on through the front door.
      const echoed = new Promise((resolve) => socket.once('message', (d) => resolve(JSON.parse(String(d)))));
      socket.send('hello');
      await expect(echoed).resolves.toEqual({ node: node.nodeId, echo: 'hello' });
      socket.close();
    }
  });

  it('passes plain HTTP to the node too, prefix stripped', async () => {
    const response = await fetch(`${base}/v1/media/nodes/${b.nodeId}/healthz?x=1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ node: b.nodeId, path: '/healthz?x=1' });
    const bare = await fetch(`${base}/v1/media/nodes/${a.nodeId}`);
    expect(await bare.json()).toEqual({ node: a.nodeId, path: '/' });
  });

  it('answers a node it never heard of with a JSON 503, for HTTP and for a WebSocket', async () => {
    const response = await fetch(`${base}/v1/media/nodes/node-z-${run}/v1/media/ws`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'media_node_unavailable' } });
    await expect(
      firstMessage(`ws://${base.slice('http://'.length)}/v1/media/nodes/node-z-${run}/v1/media/ws`),
    ).rejects.toMatchObject({ status: 503, body: { error: { code: 'media_node_unavailable' } } });
  });

  it('refuses a node id the contract would refuse', async () => {
    const response = await fetch(`${base}/v1/media/nodes/bad%2Fid/v1/media/ws`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_path' } });
  });

  it('ignores a malformed announcement and keeps routing', async () => {
    publish('not json');
    publish({ nodeId: '../etc', origin: 'http://127.0.0.1:1', intervalMs: REPORT_MS });
    publish({ nodeId: a.nodeId, origin: 'file:///etc/passwd', intervalMs: REPORT_MS });
    publish({ nodeId: a.nodeId, origin: 'http://127.0.0.1:1/elsewhere', intervalMs: REPORT_MS });
    publish([1, 2, 3]);
    await waitFor(() => frontDoor.output().includes('media node report ignored'), 'the refusal');
    await new Promise((r) => setTimeout(r, 100));
    expect(frontDoor.child.exitCode).toBeNull();
    const response = await fetch(`${base}/v1/media/nodes/${a.nodeId}/healthz`);
    expect(await response.json()).toEqual({ node: a.nodeId, path: '/healthz' });
  });

  it('stops routing to a node at once when it says it is stopping', async () => {
    const c = await startFakeNode(`node-c-${run}`);
    try {
      publish(reportOf(c));
      await untilRoutable(c.nodeId);
      publish(reportOf(c, { state: 'draining', stopping: true }));
      await nc.flush();
      await new Promise((r) => setTimeout(r, 100)); // well within the report interval
      expect((await fetch(`${base}/v1/media/nodes/${c.nodeId}/healthz`)).status).toBe(503);
    } finally {
      await new Promise((r) => c.server.close(r));
    }
  });

  it('stops routing to a node whose reports stopped (2.5 of its intervals), and not to the others', async () => {
    silence(b);
    await new Promise((r) => setTimeout(r, REPORT_MS * 2.5 + 300));
    const gone = await fetch(`${base}/v1/media/nodes/${b.nodeId}/v1/media/ws`);
    expect(gone.status).toBe(503);
    expect(await gone.json()).toMatchObject({ error: { code: 'media_node_unavailable' } });
    await expect(
      firstMessage(`ws://${base.slice('http://'.length)}/v1/media/nodes/${b.nodeId}/v1/media/ws`),
    ).rejects.toMatchObject({ status: 503 });
    const { socket, message } = await firstMessage(
      `ws://${base.slice('http://'.length)}/v1/media/nodes/${a.nodeId}/v1/media/ws`,
    );
    expect(message.node).toBe(a.nodeId);
    socket.close();
  });
});
