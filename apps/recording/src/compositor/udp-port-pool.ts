import { createSocket } from 'node:dgram';

export interface RtpPorts {
  rtpPort: number;
  rtcpPort: number;
}

/**
 * Hands out RTP/RTCP port pairs (even, even + 1) for decoders to bind. A pair is
 * bind-tested on the address the decoder will use, so ports taken by other processes
 * (another recording service, anything else) are skipped; pairs handed out here stay
 * reserved until released, so two of our decoders never race for one.
 */
export class UdpPortPool {
  private readonly reserved = new Set<number>();
  private cursor: number;

  constructor(
    private readonly range: { min: number; max: number },
    private readonly bindIp: string,
  ) {
    const first = range.min + (range.min % 2);
    const pairs = Math.max(1, Math.floor((range.max - first + 1) / 2));
    // Start at a random pair: processes sharing the range rarely collide on the first try.
    this.cursor = first + 2 * Math.floor(Math.random() * pairs);
  }

  async allocate(): Promise<RtpPorts> {
    const first = this.range.min + (this.range.min % 2);
    const pairs = Math.floor((this.range.max - first + 1) / 2);
    for (let tried = 0; tried < pairs; tried++) {
      const port = this.cursor;
      this.cursor = port + 2 > this.range.max - 1 ? first : port + 2;
      if (this.reserved.has(port)) continue;
      this.reserved.add(port);
      if ((await canBind(this.bindIp, port)) && (await canBind(this.bindIp, port + 1))) {
        return { rtpPort: port, rtcpPort: port + 1 };
      }
      this.reserved.delete(port);
    }
    throw new Error(`No free UDP port pair in ${this.range.min}-${this.range.max} on ${this.bindIp}`);
  }

  release(ports: RtpPorts): void {
    this.reserved.delete(ports.rtpPort);
  }
}

function canBind(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address, port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}
