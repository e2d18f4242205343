import type { SpanChat, SpanPeer, SpanState } from '@confer/contracts';
import type { GrantPermissions } from '../grants/join-grant';
import { Peer } from '../peers/peer';
import type { PipeLink } from './pipe-link';

const NOTHING: GrantPermissions = {
  publishAudio: false,
  publishVideo: false,
  shareScreen: false,
  subscribe: false,
};

/**
 * Another node's share of a spanned room, as this node last heard it: its state, the
 * peers shown here for it (mirrors) and the pipe its producers come through.
 */
export class RemoteShare {
  readonly mirrors = new Map<string, Peer>();
  /** Producers being piped over now (a state arriving meanwhile must not start another). */
  readonly piping = new Set<string>();
  /**
   * Connections of mirrors closed here by the rooms service's word (kicked, timed out)
   * before their node's state said so: not shown again from an older state.
   */
  readonly ended = new Set<string>();
  heardAtMs: number;
  /** The other node's `seq` when this node began following it (see SpanState.dropped). */
  readonly followedFromSeq: number;

  constructor(
    public state: SpanState,
    readonly link: PipeLink,
    now: number,
  ) {
    this.heardAtMs = now;
    this.followedFromSeq = state.seq;
  }

  get nodeId(): string {
    return this.state.nodeId;
  }

  /** Whether the latest state still lists that producer. */
  lists(peerId: string, producerId: string): boolean {
    const peer = this.state.peers.find((p) => p.peerId === peerId);
    return peer?.producers.some((p) => p.producerId === producerId) ?? false;
  }
}

/**
 * A peer of another node as this node shows it: it has no connection here and may do
 * nothing here, and of what it is told only a private chat message matters (its own node
 * delivers it). Everything else it is told, its own node tells it.
 */
export function mirrorPeer(
  room: { org: string; room: string },
  homeNode: string,
  remote: SpanPeer,
  relayPrivateChat: (message: Omit<SpanChat, 'type' | 'nodeId'>) => void,
): Peer {
  const peer = new Peer(
    {
      org: room.org,
      room: room.room,
      session: '',
      conferenceNumber: '',
      peer: remote.peerId,
      connection: remote.connectionId,
      role: remote.role,
      perms: { ...NOTHING },
      mediaServer: homeNode,
      expiresAt: 0,
      ...(remote.displayName ? { displayName: remote.displayName } : {}),
    },
    (notification, data) => {
      const message = data as {
        messageId: string;
        peerId: string;
        text: string;
        sentAt: string;
        to?: string;
      };
      if (notification === 'chatMessage' && message.to === remote.peerId) relayPrivateChat(message);
    },
  );
  peer.homeNode = homeNode;
  // Its producers are pipes, not on transports of its own: they close with it.
  peer.once('close', () => {
    for (const producer of peer.producers) producer.close();
  });
  peer.handRaised = remote.handRaised === true;
  return peer;
}
