import { Static, Type } from '@sinclair/typebox';
import { defineCommand } from './define-command';
import type { FeedContract } from './define-feed';

/**
 * Commands a recorder (the recording service) sends to the media service to receive a
 * room's media as plain RTP. Every media process reads them; only the process that
 * carries the room (or holds the session) answers, the others stay silent, so a request
 * nobody answers times out: the room has no media on any process yet.
 *
 * A recorder is not a peer: it is never announced to the room's peers as one, never
 * counted by the rooms service, and never shown in peer lists.
 */

const Empty = Type.Object({});

/** One sender as a recorder sees it. Interpreters' language channels are never listed. */
export const RecorderProducerSchema = Type.Object({
  producerId: Type.String(),
  kind: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
  source: Type.Union([
    Type.Literal('microphone'),
    Type.Literal('camera'),
    Type.Literal('screen'),
    Type.Literal('screenAudio'),
  ]),
  paused: Type.Boolean(),
});

export const RecorderPeerSchema = Type.Object({
  peerId: Type.String(),
  displayName: Type.Optional(Type.String()),
  role: Type.String(),
  producers: Type.Array(RecorderProducerSchema),
});

/**
 * The room as the recorder must draw it, sent whole on the recorder's feed subject at
 * every change and every few seconds besides (a lost message is healed by the next).
 */
export const RecorderRosterSchema = Type.Object({
  sessionId: Type.String(),
  /** Grows with every roster of this session: an older one arriving late is ignored. */
  seq: Type.Integer({ minimum: 0 }),
  /** False once the room closed on the media server: the session ends with it. */
  open: Type.Boolean(),
  peers: Type.Array(RecorderPeerSchema),
  activeSpeakerPeerId: Type.Optional(Type.String()),
});
export type RecorderRoster = Static<typeof RecorderRosterSchema>;

/** Where rosters go: the `feedSubject` a recorder gave when it opened its session. */
export const RECORDER_ROSTER_FEED: FeedContract<typeof RecorderRosterSchema> = {
  message: 'RecorderRoster',
  channel: 'RecorderRosterFeed',
  address: '{feedSubject}',
  parameters: { feedSubject: { description: 'The subject the recorder gave in recorder.open' } },
  summary:
    "A recorder session's roster, published whole by the media process at every change and every 2 s (core NATS, to the subject the recorder chose; nothing kept).",
  receivedBy: 'A recorder follows the room it records',
  schema: RecorderRosterSchema,
};
export type RecorderPeer = Static<typeof RecorderPeerSchema>;
export type RecorderProducer = Static<typeof RecorderProducerSchema>;

export const OpenRecorderSession = defineCommand({
  service: 'media',
  answeredBy: 'holder',
  name: 'recorder.open',
  summary:
    "Open a recorder session on the media process carrying the room: it answers with the room's roster and then publishes each change of it on `feedSubject`.",
  request: Type.Object({
    orgId: Type.String({ minLength: 1 }),
    roomId: Type.String({ minLength: 1 }),
    recordingId: Type.String({ minLength: 1 }),
    /** A subject of the recorder's own (e.g. an inbox) that rosters are published to. */
    feedSubject: Type.String({ minLength: 1, maxLength: 256 }),
  }),
  reply: Type.Object({ sessionId: Type.String(), roster: RecorderRosterSchema }),
});

export const RecorderConsume = defineCommand({
  service: 'media',
  answeredBy: 'holder',
  name: 'recorder.consume',
  summary:
    "Send one producer's media as plain RTP (RTCP on its own port) to the recorder's address; answers what the recorder needs to describe the stream in an SDP.",
  request: Type.Object({
    sessionId: Type.String(),
    producerId: Type.String(),
    ip: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    rtcpPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    /** Video: the tile height it will be drawn at; the server picks the simulcast layer that fills it. */
    tileHeight: Type.Optional(Type.Integer({ minimum: 1, maximum: 4320 })),
  }),
  reply: Type.Object({
    consumerId: Type.String(),
    kind: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
    mimeType: Type.String(),
    payloadType: Type.Integer(),
    clockRate: Type.Integer(),
    channels: Type.Optional(Type.Integer()),
    ssrc: Type.Integer(),
    /** The codec's fmtp parameters (e.g. H.264 profile-level-id, packetization-mode). */
    parameters: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  }),
});

export const RecorderRequestKeyFrame = defineCommand({
  service: 'media',
  answeredBy: 'holder',
  name: 'recorder.key-frame',
  summary: "Ask a video consumer's sender for a key frame (the recorder's decoder just started).",
  request: Type.Object({ sessionId: Type.String(), consumerId: Type.String() }),
  reply: Empty,
});

export const RecorderRelease = defineCommand({
  service: 'media',
  answeredBy: 'holder',
  name: 'recorder.release',
  summary: 'Stop sending one consumer to the recorder.',
  request: Type.Object({ sessionId: Type.String(), consumerId: Type.String() }),
  reply: Empty,
});

export const RenewRecorderSession = defineCommand({
  service: 'media',
  answeredBy: 'holder',
  name: 'recorder.renew',
  summary:
    'Keep a recorder session: one not renewed for 10 seconds is closed with everything it sends (its recorder is presumed dead).',
  request: Type.Object({ sessionId: Type.String() }),
  reply: Empty,
});

export const CloseRecorderSession = defineCommand({
  service: 'media',
  answeredBy: 'holder',
  name: 'recorder.close',
  summary: 'Close a recorder session and everything it sends; the room is told it is no longer recorded.',
  request: Type.Object({ sessionId: Type.String() }),
  reply: Empty,
});
