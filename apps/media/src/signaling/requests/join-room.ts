import type { types } from 'mediasoup';
import type { SignalingPayloadOf, SignalingReplyOf } from '@confer/contracts';
import { JoinGrantVerifier } from '../../grants/join-grant';
import { NotificationSink, Peer } from '../../peers/peer';
import { RoomRegistry } from '../../rooms/room-registry';
import { asJson, JoinedContext } from './joined-handlers';

/**
 * The first request of every connection: the join grant is verified (signature,
 * audience, expiry, this media server), the room is found or made, and the peer is
 * seated; an earlier connection with the same peer id is replaced.
 */
export class JoinRoom {
  constructor(
    private readonly grants: JoinGrantVerifier,
    private readonly rooms: RoomRegistry,
  ) {}

  async join(
    { grant: token, rtpCapabilities }: SignalingPayloadOf<'join'>,
    notify: NotificationSink,
  ): Promise<{ context: JoinedContext; reply: SignalingReplyOf<'join'> }> {
    const grant = await this.grants.verify(token);
    const room = await this.rooms.getOrCreate(RoomRegistry.keyOf(grant.org, grant.room));
    const peer = new Peer(grant, notify);
    if (rtpCapabilities) peer.rtpCapabilities = rtpCapabilities as unknown as types.RtpCapabilities;
    room.admit(peer);
    const others = room.peers.filter((p) => p !== peer);
    return {
      context: { peer, room },
      reply: {
        protocolVersion: 1,
        peerId: peer.id,
        role: grant.role,
        permissions: {
          publishAudio: grant.perms.publishAudio,
          publishVideo: grant.perms.publishVideo,
          shareScreen: grant.perms.shareScreen,
          subscribe: grant.perms.subscribe,
          ...(typeof grant.perms.chat === 'boolean' ? { chat: grant.perms.chat } : {}),
        },
        routerRtpCapabilities: asJson(room.router.rtpCapabilities),
        peers: others.map((p) => ({ peerId: p.id, role: p.grant.role })),
        producers: others.flatMap((p) =>
          p.producers.map((producer) => ({
            peerId: p.id,
            producerId: producer.id,
            kind: producer.kind,
            source: producer.appData.source,
            paused: producer.paused,
          })),
        ),
      },
    };
  }
}
