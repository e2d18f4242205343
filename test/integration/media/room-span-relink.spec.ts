import dgram from 'dgram';
import type { types } from 'mediasoup';
import type { SpanMessage } from '@confer/contracts';
import { loadMediaConfig, workerBinOf } from '../../../apps/media/src/config/media.config';
import { Peer } from '../../../apps/media/src/peers/peer';
import { Room } from '../../../apps/media/src/rooms/room';
import { RoomSpan, SpanBus } from '../../../apps/media/src/span/room-span';
import { WorkerPool } from '../../../apps/media/src/workers/worker-pool';
import { subscribeRtp } from '../../support/rtp-subscriber';

// Two nodes' instances of one room, each on its own real mediasoup worker, joined by the real
// pipe code over loopback; the bus between them is in memory so that the test can cut one
// direction of it, the way a one-way network loss or a stalled node does.

const workerBin = workerBinOf(loadMediaConfig({ MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN }));

/** Core NATS in memory: subscribers by subject, pipe requests answered by the named node. */
class MemoryBus {
  readonly #subscribers = new Map<string, Array<{ node: string; deliver: (data: unknown) => void }>>();
  readonly spans = new Map<string, RoomSpan>();
  /** Messages from → to that are lost. */
  readonly cut = new Set<string>();

  for(node: string): SpanBus {
    return {
      publish: (subject, message: SpanMessage) => {
        for (const s of this.#subscribers.get(subject) ?? [])
          if (!this.cut.has(`${node}->${s.node}`)) {
            const copy = JSON.parse(JSON.stringify(message)) as unknown;
            setImmediate(() => s.deliver(copy));
          }
      },
      subscribe: (subject, deliver) => {
        const list = this.#subscribers.get(subject) ?? [];
        const entry = { node, deliver };
        list.push(entry);
        this.#subscribers.set(subject, list);
        return () => list.splice(list.indexOf(entry), 1);
      },
      requestPipe: async (request) => {
        const span = this.spans.get(request.toNode);
        if (!span || this.cut.has(`${node}->${request.toNode}`)) throw new Error('request timed out');
        return span.pipeOut(request);
      },
    };
  }
}

function rtpPacket(sequence: number, ssrc: number): Buffer {
  const packet = Buffer.alloc(12 + 40, 0x55);
  packet[0] = 0x80;
  packet[1] = 111;
  packet.writeUInt16BE(sequence & 0xffff, 2);
  packet.writeUInt32BE((sequence * 960) >>> 0, 4);
  packet.writeUInt32BE(ssrc, 8);
  packet[12] = 0x78;
  return packet;
}

describe('a room spanning two nodes when one of them stops hearing the other', () => {
  let pool: WorkerPool;
  const sockets: dgram.Socket[] = [];
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    pool = await WorkerPool.create({
      count: 2,
      workerBin,
      logLevel: 'error',
      rtcMinPort: 40000,
      rtcMaxPort: 49999,
      onWorkerDied: () => undefined,
    });
  });
  afterAll(() => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.close();
    pool?.close();
  });

  /** A node's room with one peer sending RTP (opus) from this process, 50 packets a second. */
  async function node(bus: MemoryBus, nodeId: string, worker: types.Worker, ssrc: number) {
    const room = await Room.create('org-1/span-relink', worker);
    const peer = new Peer(
      {
        org: 'org-1',
        room: 'span-relink',
        session: 's',
        conferenceNumber: '12345678',
        peer: `peer-${nodeId}`,
        connection: `conn-${nodeId}`,
        role: 'participant',
        perms: { publishAudio: true, publishVideo: true, shareScreen: true, subscribe: true },
        mediaServer: nodeId,
        expiresAt: Date.now() / 1000 + 600,
      },
      () => undefined,
    );
    room.admit(peer);
    const ingest = await room.router.createPlainTransport({
      listenIp: '127.0.0.1',
      rtcpMux: true,
      comedia: true,
    });
    peer.addTransport(ingest as never);
    const producer = await ingest.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc }],
      },
      appData: { peerId: peer.id, source: 'microphone' },
    });
    peer.addProducer(producer as never);
    const sender = dgram.createSocket('udp4');
    sockets.push(sender);
    let sequence = 0;
    timers.push(
      setInterval(() => sender.send(rtpPacket(sequence++, ssrc), ingest.tuple.localPort, '127.0.0.1'), 20),
    );
    const span = new RoomSpan(room, bus.for(nodeId), {
      nodeId,
      pipe: { ip: '127.0.0.1' },
      heartbeatMs: 100,
      staleAfterMs: 500,
    });
    bus.spans.set(nodeId, span);
    return { room, span, producerId: producer.id };
  }

  /** RTP of a producer (a peer of the other node, piped in) at a subscriber of this node, over a window. */
  async function packetsOf(room: Room, producerId: string, windowMs: number): Promise<number> {
    if (!room.findProducer(producerId)) return 0;
    const subscriber = await subscribeRtp(room.router, producerId);
    await new Promise((r) => setTimeout(r, windowMs));
    subscriber.close();
    return subscriber.packets;
  }

  async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('starts over on both sides once heard again, and media flows both ways as before', async () => {
    const bus = new MemoryBus();
    const a = await node(bus, 'node-a', pool.leastLoaded(), 0x0a0a0a0a);
    const b = await node(bus, 'node-b', pool.leastLoaded(), 0x0b0b0b0b);
    a.span.start();
    b.span.start();

    await until('each pipes the other’s producer', () =>
      Boolean(a.room.findProducer(b.producerId) && b.room.findProducer(a.producerId)),
    );
    expect(await packetsOf(b.room, a.producerId, 500)).toBeGreaterThan(10);
    expect(await packetsOf(a.room, b.producerId, 500)).toBeGreaterThan(10);

    // B stops hearing A for longer than its patience; A still hears B and keeps its side.
    bus.cut.add('node-a->node-b');
    await until('B drops A', () => !b.span.remoteNodes.includes('node-a'), 5_000);
    expect(a.span.remoteNodes).toContain('node-b');
    bus.cut.clear();

    // Heard again: both sides build a fresh pipe, and media flows both ways again.
    await until('B follows A again, with A’s producer piped in', () =>
      Boolean(b.span.remoteNodes.includes('node-a') && b.room.findProducer(a.producerId)),
    );
    await until('A receives B again', async () => (await packetsOf(a.room, b.producerId, 400)) > 5, 10_000);
    await until('B receives A again', async () => (await packetsOf(b.room, a.producerId, 400)) > 5, 10_000);

    // A node whose room closes is dropped by the other at once, not after its silence.
    a.room.close();
    await until('B drops the closed A at once', () => !b.span.remoteNodes.includes('node-a'), 300);
    b.room.close();
  }, 60_000);
});
