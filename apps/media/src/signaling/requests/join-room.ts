import { randomBytes } from 'crypto';
import type { types } from 'mediasoup';
import type { SignalingPayloadOf, SignalingReplyOf } from '@confer/contracts';
import { JoinGrantVerifier } from '../../grants/join-grant';
import { MediaErrors } from '../../media.errors';
import { NotificationSink, Peer } from '../../peers/peer';
import { restrictByRole } from '../../peers/produce-policy';
import type { Room } from '../../rooms/room';
import { RoomRegistry } from '../../rooms/room-registry';
import { asJson, JoinedContext } from './joined-handlers';

/** Told of every peer seated here (the presence keeper, the media events). */
export interface PeerAdmissionListener {
  admitted(peer: Peer, room: Room): void;
}

type Joined = { context: JoinedContext; reply: SignalingReplyOf<'join'> };

/**
 * The first request of every connection: the join grant is verified (signature,
 * audience, expiry, this media server), the room is found or made, and the peer is
 * seated; an earlier connection with the same peer id is replaced. A grant for the
 * connection this server already carries resumes that peer instead (the client's
 * socket dropped and came back): its transports, producers and consumers live on.
 * So does `resume` with the token a join answered, which outlives the grant.
 */
export class JoinRoom {
  readonly #listeners: PeerAdmissionListener[] = [];
  /** Resume tokens of the peers seated here; a token dies with its peer. */
  readonly #resumable = new Map<string, JoinedContext>();

  constructor(
    private readonly grants: JoinGrantVerifier,
    private readonly rooms: RoomRegistry,
  ) {}

  onAdmitted(listener: PeerAdmissionListener): void {
    this.#listeners.push(listener);
  }

  async join(
    { grant: token, rtpCapabilities, displayName }: SignalingPayloadOf<'join'>,
    notify: NotificationSink,
  ): Promise<Joined> {
    const grant = await this.grants.verify(token);
    const room = await this.rooms.getOrCreate(RoomRegistry.keyOf(grant.org, grant.room));
    const seated = room.peer(grant.peer);
    // (A peer of another node shown here is never resumed: it has no connection here.)
    if (seated && !seated.closed && !seated.homeNode && seated.grant.connection === grant.connection) {
      seated.attach(notify);
      return this.#answer(seated, room, rtpCapabilities, true);
    }
    const peer = new Peer(grant, notify);
    peer.displayName ??= displayName?.trim() || undefined;
    restrictByRole(peer);
    room.admit(peer);
    peer.resumeToken = randomBytes(24).toString('base64url');
    this.#resumable.set(peer.resumeToken, { peer, room });
    peer.once('close', () => this.#resumable.delete(peer.resumeToken!));
    for (const listener of this.#listeners) listener.admitted(peer, room);
    return this.#answer(peer, room, rtpCapabilities, false);
  }

  async resume(
    { resumeToken, rtpCapabilities }: SignalingPayloadOf<'resume'>,
    notify: NotificationSink,
  ): Promise<Joined> {
    const held = this.#resumable.get(resumeToken);
    if (!held || held.peer.closed || held.room.closed) throw MediaErrors.invalidResumeToken();
    held.peer.attach(notify);
    return this.#answer(held.peer, held.room, rtpCapabilities, true);
  }

  #answer(
    peer: Peer,
    room: Room,
    rtpCapabilities: Record<string, unknown> | undefined,
    resumed: boolean,
  ): Joined {
    if (rtpCapabilities) peer.rtpCapabilities = rtpCapabilities as unknown as types.RtpCapabilities;
    const others = room.peers.filter((p) => p !== peer);
    return {
      context: { peer, room },
      reply: {
        protocolVersion: 1,
        peerId: peer.id,
        role: peer.role,
        permissions: { ...peer.permissions },
        routerRtpCapabilities: asJson(room.router.rtpCapabilities),
        languages: room.languages.languages,
        ...(room.recording ? { recording: true } : {}),
        peers: others.map((p) => p.info),
        producers: others.flatMap((p) =>
          p.producers.map((producer) => ({
            peerId: p.id,
            producerId: producer.id,
            kind: producer.kind,
            source: producer.appData.source,
            paused: producer.paused,
            ...(producer.appData.language ? { language: producer.appData.language } : {}),
          })),
        ),
        ...(peer.resumeToken ? { resumeToken: peer.resumeToken } : {}),
        ...(resumed
          ? {
              resumed: true,
              own: {
                transportIds: peer.transports.map((t) => t.id),
                producerIds: peer.producers.map((p) => p.id),
                consumerIds: peer.consumers.map((c) => c.id),
              },
            }
          : {}),
      },
    };
  }
}
