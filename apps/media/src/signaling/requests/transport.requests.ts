import type { types } from 'mediasoup';
import { MediaErrors } from '../../media.errors';
import type { TransportAppData } from '../../peers/peer';
import { asJson, JoinedContext, JoinedHandlers } from './joined-handlers';

export interface TransportSettings {
  listenIp: string;
  announcedIp?: string;
  initialAvailableOutgoingBitrate: number;
}

export function transportOf({ peer }: Pick<JoinedContext, 'peer'>, transportId: string) {
  const transport = peer.transport(transportId);
  if (!transport) throw MediaErrors.transportNotFound({ transportId });
  return transport;
}

/** WebRTC transports over UDP (preferred) and TCP, on the configured listen and announced address. */
export function transportRequests(
  settings: TransportSettings,
): Pick<JoinedHandlers, 'createTransport' | 'connectTransport'> {
  return {
    async createTransport({ peer, room }, { direction }) {
      const transport = await room.router.createWebRtcTransport<TransportAppData>({
        listenIps: [{ ip: settings.listenIp, announcedIp: settings.announcedIp }],
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: settings.initialAvailableOutgoingBitrate,
        appData: { direction },
      });
      if (peer.closed) {
        transport.close();
        throw MediaErrors.transportNotFound();
      }
      peer.addTransport(transport);
      return {
        transportId: transport.id,
        iceParameters: asJson(transport.iceParameters),
        iceCandidates: transport.iceCandidates.map(asJson),
        dtlsParameters: asJson(transport.dtlsParameters),
      };
    },

    async connectTransport(context, { transportId, dtlsParameters }) {
      await transportOf(context, transportId).connect({
        dtlsParameters: dtlsParameters as unknown as types.DtlsParameters,
      });
      return {};
    },
  };
}
