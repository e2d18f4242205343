import { createHash } from 'crypto';
import { Static, Type } from '@sinclair/typebox';
import { defineCommand } from './define-command';
import type { FeedContract } from './define-feed';

/**
 * A room spanning media nodes: when the rooms service places a room's newcomers on
 * another node (the room's own node is full), every node carrying the room publishes its
 * share of it (its peers and what they send) on the room's span feed, and pipes from the
 * others what they send (mediasoup PipeTransports between the nodes' routers). Peers on
 * each node then see and hear everyone, as in a room on one node.
 *
 * Only media nodes speak this protocol; it is a contract because nodes of different
 * versions meet during a rolling upgrade. Fields are only added within version 1.
 */

const Kind = Type.Union([Type.Literal('audio'), Type.Literal('video')]);
const Source = Type.Union([
  Type.Literal('microphone'),
  Type.Literal('camera'),
  Type.Literal('screen'),
  Type.Literal('screenAudio'),
]);
const NodeId = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$' });

export const SpanProducerSchema = Type.Object({
  producerId: Type.String({ minLength: 1, maxLength: 64 }),
  kind: Kind,
  source: Source,
  paused: Type.Boolean(),
  /** An interpreter's language channel. */
  language: Type.Optional(Type.String({ maxLength: 16 })),
  /** Video: the top layer's height (layers are chosen by tile size). */
  maxHeight: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const SpanPeerSchema = Type.Object({
  peerId: Type.String({ minLength: 1, maxLength: 256 }),
  /** The rooms service's connection id: its peer.left events name it. */
  connectionId: Type.String({ minLength: 1, maxLength: 256 }),
  role: Type.String({ minLength: 1, maxLength: 64 }),
  displayName: Type.Optional(Type.String({ maxLength: 256 })),
  handRaised: Type.Optional(Type.Boolean()),
  producers: Type.Array(SpanProducerSchema, { maxItems: 16 }),
});

/** A node's share of a room: published whole at every change, and as a heartbeat. */
export const SpanStateSchema = Type.Object({
  type: Type.Literal('state'),
  nodeId: NodeId,
  /** This node's instance of the room: a room that closed and came back has a new one. */
  incarnation: Type.String({ minLength: 1, maxLength: 64 }),
  /** When this instance began: the earliest instance of a room is its primary (recording). */
  since: Type.Integer({ minimum: 0 }),
  /** Grows with every state of this instance: an older one arriving late is ignored. */
  seq: Type.Integer({ minimum: 0 }),
  /** False in the last state of an instance (its last peer left): drop it at once. */
  open: Type.Boolean(),
  /** True while the room is recorded from this node. */
  recording: Type.Optional(Type.Boolean()),
  /**
   * Nodes this node lately stopped following because they fell silent, with this node's
   * `seq` at that moment. A node named here that still follows this one from an earlier
   * state starts over (a fresh pipe): the far end of the pipe it had is gone.
   */
  dropped: Type.Optional(
    Type.Array(
      Type.Object({
        nodeId: NodeId,
        incarnation: Type.String({ minLength: 1, maxLength: 64 }),
        atSeq: Type.Integer({ minimum: 0 }),
      }),
      { maxItems: 64 },
    ),
  ),
  peers: Type.Array(SpanPeerSchema, { maxItems: 10_000 }),
});

/** A chat message written on one node, relayed to the peers of the others. */
export const SpanChatSchema = Type.Object({
  type: Type.Literal('chat'),
  nodeId: NodeId,
  messageId: Type.String({ minLength: 1, maxLength: 64 }),
  peerId: Type.String({ minLength: 1, maxLength: 256 }),
  text: Type.String({ minLength: 1, maxLength: 2000 }),
  sentAt: Type.String(),
  to: Type.Optional(Type.String({ maxLength: 256 })),
});

export const SpanMessageSchema = Type.Union([SpanStateSchema, SpanChatSchema]);
export type SpanState = Static<typeof SpanStateSchema>;
export type SpanPeer = Static<typeof SpanPeerSchema>;
export type SpanProducer = Static<typeof SpanProducerSchema>;
export type SpanChat = Static<typeof SpanChatSchema>;
export type SpanMessage = Static<typeof SpanMessageSchema>;

const ROOM_SPAN_SUBJECT = { prefix: 'confer.sys.media.room-span.', suffix: '.v1' } as const;

export const ROOM_SPAN_FEED: FeedContract<typeof SpanMessageSchema> = {
  message: 'RoomSpanMessage',
  channel: 'RoomSpanFeed',
  address: `${ROOM_SPAN_SUBJECT.prefix}{roomKey}${ROOM_SPAN_SUBJECT.suffix}`,
  parameters: {
    roomKey: { description: 'The first 27 characters of base64url(SHA-256("<orgId>/<roomId>"))' },
  },
  summary:
    "A media node's share of a room it may carry beside other nodes (its peers and their producers), published whole at every change and every 2 s while other nodes carry the room too (every 10 s alone), and chat relayed between the nodes (core NATS, nothing kept). A node not heard from for 5 s is dropped.",
  receivedBy: 'Media nodes carrying the same room follow each other',
  schema: SpanMessageSchema,
};

/**
 * The span feed of a room: `confer.sys.media.room-span.<key>.v1`, the key a hash of the
 * organisation and room ids (room ids may hold characters a subject token cannot).
 */
export function roomSpanSubject(orgId: string, roomId: string): string {
  const key = createHash('sha256').update(`${orgId}/${roomId}`).digest('base64url').slice(0, 27);
  return `${ROOM_SPAN_SUBJECT.prefix}${key}${ROOM_SPAN_SUBJECT.suffix}`;
}

const PipeAddress = Type.Object({
  ip: Type.String({ minLength: 1, maxLength: 64 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
});

export const PipeSpanProducer = defineCommand({
  service: 'media',
  answeredBy: 'holder',
  name: 'span.pipe',
  summary:
    'A media node asks the node (`toNode`) whose peer sends a producer of a spanned room to pipe it over: the holder connects its pipe transport for the asking node to `pipe`, consumes the producer into it and answers with its own pipe address and the RTP parameters to produce it with.',
  request: Type.Object({
    orgId: Type.String({ minLength: 1 }),
    roomId: Type.String({ minLength: 1 }),
    fromNode: NodeId,
    fromIncarnation: Type.String({ minLength: 1, maxLength: 64 }),
    toNode: NodeId,
    toIncarnation: Type.String({ minLength: 1, maxLength: 64 }),
    producerId: Type.String({ minLength: 1, maxLength: 64 }),
    /** The asking node's pipe transport for this room and the holder. */
    pipe: PipeAddress,
  }),
  reply: Type.Object({
    pipe: PipeAddress,
    kind: Kind,
    rtpParameters: Type.Record(Type.String(), Type.Unknown()),
    paused: Type.Boolean(),
  }),
});
