// A UDP sink for RTP, in its own process so that counting packets takes no CPU from the
// process that measures: it listens on a few loopback sockets and keeps, per SSRC, the
// packets and bytes received and the highest extended sequence number, from which the
// caller computes loss (sequence numbers expected but never received).
//
//   const receiver = await startRtpReceiver({ sockets: 16 });
//   receiver.ports            // where to send; streams are told apart by SSRC
//   await receiver.snapshot() // { streams: Map ssrc -> { received, bytes, expected }, cpuMs }
//   await receiver.stop();
//
// SRTP is fine: the RTP header (version, SSRC, sequence number) stays in clear.
import { fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

export async function startRtpReceiver({ sockets = 16, host = '127.0.0.1', recvBufferBytes = 8 << 20 } = {}) {
  const child = fork(self, ['--child'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const pending = new Map();
  let next = 0;
  const ready = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`rtp receiver exited (${code}) before it was ready`)));
    child.on('message', (message) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'snapshot') {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      }
    });
  });
  child.send({ type: 'configure', sockets, host, recvBufferBytes });
  const { ports, recvBufferBytes: granted } = await ready;
  return {
    host,
    ports,
    pid: child.pid,
    /** The receive buffer the kernel granted each socket (capped by net.core.rmem_max). */
    recvBufferBytes: granted,
    /**
     * Per SSRC: packets and bytes received, and sequence numbers spanned (first to
     * highest); and the receiver's CPU time so far (ms, user + system), to tell whether
     * it kept up.
     */
    snapshot() {
      const id = next++;
      return new Promise((resolve) => {
        pending.set(id, ({ streams, cpuMs }) => resolve({ streams: new Map(streams), cpuMs }));
        child.send({ type: 'snapshot', id });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Packet types 200–207 in the second byte are RTCP (SR, RR, SDES, BYE, APP, …). */
function isRtcp(packet) {
  return packet[1] >= 200 && packet[1] <= 207;
}

function runChild() {
  /** ssrc -> [received, bytes, firstExtendedSeq, highestExtendedSeq] */
  const streams = new Map();

  const onPacket = (packet) => {
    if (packet.length < 12 || packet[0] >> 6 !== 2 || isRtcp(packet)) return;
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const s = streams.get(ssrc);
    if (!s) {
      streams.set(ssrc, [1, packet.length, seq, seq]);
      return;
    }
    s[0]++;
    s[1] += packet.length;
    // Extend the 16-bit sequence number around the highest one seen (RFC 3550 A.1).
    const highest = s[3];
    let extended = (highest & ~0xffff) | seq;
    if (extended < highest - 0x8000) extended += 0x10000;
    else if (extended > highest + 0x8000) extended -= 0x10000;
    if (extended > highest) s[3] = extended;
    else if (extended < s[2]) s[2] = extended;
  };

  process.once('message', async (config) => {
    const sockets = [];
    for (let i = 0; i < config.sockets; i++) {
      const socket = createSocket({ type: 'udp4', recvBufferSize: config.recvBufferBytes });
      socket.on('message', onPacket);
      await new Promise((resolve) => socket.bind(0, config.host, resolve));
      sockets.push(socket);
    }
    process.on('message', (message) => {
      if (message.type !== 'snapshot') return;
      const out = [];
      for (const [ssrc, [received, bytes, first, highest]] of streams) {
        out.push([ssrc, { received, bytes, expected: highest - first + 1 }]);
      }
      const { user, system } = process.cpuUsage();
      process.send({ type: 'snapshot', id: message.id, streams: out, cpuMs: (user + system) / 1000 });
    });
    process.send({
      type: 'ready',
      ports: sockets.map((s) => s.address().port),
      recvBufferBytes: sockets[0]?.getRecvBufferSize(),
    });
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[2] === '--child') runChild();
