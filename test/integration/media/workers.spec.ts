import { execFileSync, spawn } from 'child_process';
import dgram from 'dgram';
import { join } from 'path';
import type { types } from 'mediasoup';
import { loadMediaConfig, workerBinOf } from '../../../apps/media/src/config/media.config';
import { Room } from '../../../apps/media/src/rooms/room';
import { WorkerPool } from '../../../apps/media/src/workers/worker-pool';
import { freePort } from '../../support/test-env';

const workerBin = workerBinOf(loadMediaConfig({ MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN }));

/** An RTP packet (RFC 3550): version 2, no padding, extension or CSRCs. */
function rtpPacket(payloadType: number, sequence: number, timestamp: number, ssrc: number): Buffer {
  const packet = Buffer.alloc(12 + 40, 0x55);
  packet[0] = 0x80;
  packet[1] = payloadType;
  packet.writeUInt16BE(sequence, 2);
  packet.writeUInt32BE(timestamp, 4);
  packet.writeUInt32BE(ssrc, 8);
  packet[12] = 0x78; // an opus TOC byte (CELT, 20 ms)
  return packet;
}

describe('mediasoup workers', () => {
  it('tells the owner when a worker dies, and stays quiet about workers it closed itself', async () => {
    const died: number[] = [];
    const pool = await WorkerPool.create({
      count: 2,
      workerBin,
      logLevel: 'error',
      rtcMinPort: 40000,
      rtcMaxPort: 49999,
      onWorkerDied: (worker) => died.push(worker.pid),
    });
    const [victim] = pool.loads.map((w) => w.pid);
    process.kill(victim, 'SIGKILL');
    for (let i = 0; i < 50 && died.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(died).toEqual([victim]);
    pool.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(died).toEqual([victim]);
  });

  it('takes the media service process down when one of its workers dies', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [join(__dirname, '..', '..', '..', 'apps', 'media', 'dist', 'main.js')],
      {
        env: {
          ...process.env,
          MEDIA_PORT: String(port),
          MEDIA_WORKERS: '1',
          MEDIASOUP_WORKER_BIN: workerBin,
          HOST: '127.0.0.1',
          LOG_LEVEL: 'error',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let workerPid = 0;
    for (let attempt = 0; attempt < 100 && !workerPid; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        if (!(await fetch(`http://127.0.0.1:${port}/readyz`)).ok) continue;
        workerPid = Number(
          execFileSync('pgrep', ['-P', String(child.pid), '-f', 'mediasoup-worker'])
            .toString()
            .trim(),
        );
      } catch {
        // not up yet
      }
    }
    expect(workerPid).toBeGreaterThan(0);
    process.kill(workerPid, 'SIGKILL');
    expect(await exited).toBe(1);
    expect(stderr).toContain('mediasoup worker died');
  }, 20000);

  it("carries real RTP through a room's router from a producer to a consumer", async () => {
    const pool = await WorkerPool.create({
      count: 1,
      workerBin,
      logLevel: 'error',
      rtcMinPort: 40000,
      rtcMaxPort: 49999,
      onWorkerDied: () => undefined,
    });
    const room = await Room.create('org/rtp', pool.leastLoaded());
    const receiver = dgram.createSocket('udp4');
    const sender = dgram.createSocket('udp4');
    try {
      // In: a plain RTP transport that learns the sender's address from its first packet.
      const inbound = await room.router.createPlainTransport({
        listenIp: '127.0.0.1',
        rtcpMux: true,
        comedia: true,
      });
      const producer = await inbound.produce({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
          encodings: [{ ssrc: 1234 }],
        },
      });
      // Out: a consumer whose transport sends to our UDP socket.
      let received = 0;
      receiver.on('message', (packet) => {
        if ((packet[1] & 0x7f) < 72 || (packet[1] & 0x7f) > 76) received++; // RTP, not RTCP
      });
      await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
      const outbound = await room.router.createPlainTransport({
        listenIp: '127.0.0.1',
        rtcpMux: true,
        comedia: false,
      });
      await outbound.connect({ ip: '127.0.0.1', port: receiver.address().port });
      const consumer: types.Consumer = await outbound.consume({
        producerId: producer.id,
        rtpCapabilities: room.router.rtpCapabilities,
      });

      for (let i = 0; i < 50; i++) {
        sender.send(rtpPacket(100, i, i * 960, 1234), inbound.tuple.localPort, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 10));
      }
      for (let i = 0; i < 20 && received < 45; i++) await new Promise((r) => setTimeout(r, 50));
      expect(received).toBeGreaterThanOrEqual(45);
      const stats = await consumer.getStats();
      const outboundStats = stats.find((s) => s.type === 'outbound-rtp');
      expect(outboundStats?.packetCount).toBeGreaterThanOrEqual(45);
    } finally {
      sender.close();
      receiver.close();
      room.close();
      pool.close();
    }
  });
});
