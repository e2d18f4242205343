import type { types } from 'mediasoup';
import { MediaErrors } from '../../media.errors';
import type { PeerTransport, TransportAppData } from '../../peers/peer';
import type { Room } from '../../rooms/room';
import { asJson, JoinedContext, JoinedHandlers } from './joined-handlers';

export interface TransportSettings {
  listenIp: string;
  announcedIp?: string;
  initialAvailableOutgoingBitrate: number;
  /** MEDIA_PLAIN_INGEST: peers may publish over plain RTP (`createTransport { plain: true }`). */
  plainIngest?: boolean;
}

export function transportOf({ peer }: Pick<JoinedContext, 'peer'>, transportId: string): PeerTransport {
  const transport = peer.transport(transportId);
  if (!transport) throw MediaErrors.transportNotFound({ transportId });
  return transport;
}

/**
 * A plain RTP port pair for a sender on a trusted network (a synthetic peer, a SIP or
 * hardware gateway). Comedia: it takes its remote address from the first packet, as
 * such senders do not signal theirs; RTCP on its own port, since ffmpeg and most
 * gateways send it from a second socket, whose first packet would otherwise lock RTP out.
 */
async function createPlainSendTransport(room: Room, settings: TransportSettings) {
  const transport = await room.router.createPlainTransport<TransportAppData>({
    listenIp: { ip: settings.listenIp, announcedIp: settings.announcedIp },
    rtcpMux: false,
    comedia: true,
    appData: { direction: 'send', plain: true },
  });
  return {
    transport,
    reply: {
      transportId: transport.id,
      ip: settings.announcedIp ?? transport.tuple.localIp,
      port: transport.tuple.localPort,
      rtcpPort: transport.rtcpTuple!.localPort,
    },
  };
}

async function createWebRtcTransport(room: Room, settings: TransportSettings, direction: 'send' | 'recv') {
  const transport = await room.router.createWebRtcTransport<TransportAppData>({
    listenIps: [{ ip: settings.listenIp, announcedIp: settings.announcedIp }],
    enableUdp: true,
    enableTcp: true,
    preferUdp: true,
    initialAvailableOutgoingBitrate: settings.initialAvailableOutgoingBitrate,
    appData: { direction },
  });
  return {
    transport,
    reply: {
      transportId: transport.id,
      iceParameters: asJson(transport.iceParameters),
      iceCandidates: transport.iceCandidates.map(asJson),
      dtlsParameters: asJson(transport.dtlsParameters),
    },
  };
}

/**
 * WebRTC transports over UDP (preferred) and TCP, on the configured listen and announced
 * address; and, where MEDIA_PLAIN_INGEST allows it, plain RTP send transports.
 */
export function transportRequests(
  settings: TransportSettings,
): Pick<JoinedHandlers, 'createTransport' | 'connectTransport'> {
  return {
    async createTransport({ peer, room }, { direction, plain }) {
      if (plain && !settings.plainIngest) throw MediaErrors.plainIngestDisabled();
      if (plain && direction !== 'send')
        throw MediaErrors.invalidMessage(undefined, {
          message: 'A plain transport only sends media to the server (direction: send)',
        });
      const { transport, reply } = plain
        ? await createPlainSendTransport(room, settings)
        : await createWebRtcTransport(room, settings, direction);
      if (peer.closed) {
        transport.close();
        throw MediaErrors.transportNotFound();
      }
      peer.addTransport(transport);
      return reply;
    },

    async connectTransport(context, { transportId, dtlsParameters }) {
      const transport = transportOf(context, transportId);
      if (transport.appData.plain)
        throw MediaErrors.invalidMessage(
          { transportId },
          { message: 'A plain transport needs no connect: it takes media from the first sender' },
        );
      await (transport as types.WebRtcTransport).connect({
        dtlsParameters: dtlsParameters as unknown as types.DtlsParameters,
      });
      return {};
    },
  };
}
