import { createSocket } from 'node:dgram';
import type { types } from 'mediasoup';

export interface RtpSubscriber {
  /** RTP packets received so far (RTCP on the same port is not counted). */
  readonly packets: number;
  close(): void;
}

/**
 * A subscriber at the RTP level: a plain consumer of the producer on the router, sending to
 * a UDP socket of this process that counts what arrives. Real media out of a real router,
 * without a browser.
 */
export async function subscribeRtp(router: types.Router, producerId: string): Promise<RtpSubscriber> {
  const socket = createSocket('udp4');
  let packets = 0;
  socket.on('message', (packet) => {
    const type = packet[1] & 0x7f;
    if (type < 72 || type > 76) packets += 1; // RTCP's packet types are 200–204 (72–76 here)
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const transport = await router.createPlainTransport({
    listenIp: '127.0.0.1',
    rtcpMux: true,
    comedia: false,
  });
  await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
  await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
  return {
    get packets() {
      return packets;
    },
    close() {
      transport.close();
      socket.close();
    },
  };
}
