import { Static, TSchema, Type } from '@sinclair/typebox';

/**
 * The media service's signaling protocol, version 1, served on `/v1/media/ws`.
 * Within a version fields and methods are only added; a breaking change is a new
 * path (`/v2/media/ws`). mediasoup's own objects (RTP capabilities and parameters,
 * ICE and DTLS parameters) travel as opaque JSON objects: mediasoup validates them.
 */
export const SIGNALING_PROTOCOL_VERSION = 1;
export const SIGNALING_PATH = '/v1/media/ws';

/** A mediasoup object (e.g. `RtpCapabilities`) passed through as JSON. */
const Opaque = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

export const MediaKindSchema = Type.Union([Type.Literal('audio'), Type.Literal('video')]);
/** What a producer carries; screen sharing is its own producer. */
export const MediaSourceSchema = Type.Union([
  Type.Literal('microphone'),
  Type.Literal('camera'),
  Type.Literal('screen'),
  Type.Literal('screenAudio'),
]);
export type MediaKind = Static<typeof MediaKindSchema>;
export type MediaSource = Static<typeof MediaSourceSchema>;

export const GrantPermissionsSchema = Type.Object(
  {
    publishAudio: Type.Boolean(),
    publishVideo: Type.Boolean(),
    shareScreen: Type.Boolean(),
    subscribe: Type.Boolean(),
  },
  { additionalProperties: true },
);

const ProducerInfo = Type.Object({
  peerId: Type.String(),
  producerId: Type.String(),
  kind: MediaKindSchema,
  source: MediaSourceSchema,
  paused: Type.Boolean(),
  /** An interpreter's audio: the language channel it speaks on (ISO 639-1, e.g. `de`). */
  language: Type.Optional(Type.String()),
});
const PeerInfo = Type.Object({
  peerId: Type.String(),
  role: Type.String(),
  /** The name shown for the peer: the grant's, else the one its client gave at join. */
  displayName: Type.Optional(Type.String()),
  /** True while the peer's hand is raised (absent otherwise). */
  handRaised: Type.Optional(Type.Boolean()),
});
const Empty = Type.Object({});

/** The longest chat message, in characters; longer ones are refused, not cut. */
export const CHAT_MESSAGE_MAX_LENGTH = 2000;

const ChatMessage = Type.Object({
  messageId: Type.String(),
  /** Who wrote it. */
  peerId: Type.String(),
  text: Type.String(),
  /** ISO 8601, the server's clock. */
  sentAt: Type.String({ format: 'date-time' }),
  /** Set when the message went to one peer only (`to` in the request). */
  to: Type.Optional(Type.String()),
});

/** What `join` (and `resume`) answer: the room as it is, and what this peer may do. */
const JoinReply = Type.Object({
  protocolVersion: Type.Literal(SIGNALING_PROTOCOL_VERSION),
  peerId: Type.String(),
  role: Type.String(),
  permissions: GrantPermissionsSchema,
  routerRtpCapabilities: Opaque('mediasoup RtpCapabilities of the room router'),
  peers: Type.Array(PeerInfo),
  producers: Type.Array(ProducerInfo),
  /**
   * True when the grant's connection was already here (the socket dropped and came
   * back within the grace period): the peer's media objects below live on.
   */
  resumed: Type.Optional(Type.Boolean()),
  /**
   * Keep it: after a dropped socket, `resume` with it takes the peer back even once the
   * grant has expired, for as long as the peer is here (its reconnect grace period).
   */
  resumeToken: Type.Optional(Type.String()),
  /** Interpretation channels one can listen to now (ISO 639-1 codes). */
  languages: Type.Optional(Type.Array(Type.String())),
  /** True while the room is being recorded (then `recordingChanged` tells of each change). */
  recording: Type.Optional(Type.Boolean()),
  own: Type.Optional(
    Type.Object({
      transportIds: Type.Array(Type.String()),
      producerIds: Type.Array(Type.String()),
      consumerIds: Type.Array(Type.String()),
    }),
  ),
});

/** Requests a client sends, each with the reply it gets. */
export const SignalingRequests = {
  /** Must be the first message on a connection: carries the join grant from the rooms service. */
  join: {
    request: Type.Object({
      grant: Type.String({ minLength: 1 }),
      /** The client device's `RtpCapabilities`; needed before consuming. */
      rtpCapabilities: Type.Optional(Opaque('mediasoup RtpCapabilities of the client device')),
      /** The name to show to others, when the grant carries none (Gcore's displayName attribute). */
      displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    }),
    reply: JoinReply,
  },
  /**
   * Instead of `join` on a new socket after the old one dropped: takes back the peer the
   * token was given for (its transports, producers and consumers live on), while it is
   * still here. Refused `invalid_resume_token` otherwise; then join again.
   */
  resume: {
    request: Type.Object({
      resumeToken: Type.String({ minLength: 16, maxLength: 128 }),
      rtpCapabilities: Type.Optional(Opaque('mediasoup RtpCapabilities of the client device')),
    }),
    reply: JoinReply,
  },
  createTransport: {
    request: Type.Object({
      direction: Type.Union([Type.Literal('send'), Type.Literal('recv')]),
      /**
       * A plain RTP transport instead of WebRTC (send only, where the server's
       * MEDIA_PLAIN_INGEST allows it): for synthetic peers and SIP or hardware gateways.
       */
      plain: Type.Optional(Type.Boolean()),
    }),
    /** A WebRTC transport's ICE and DTLS parameters, or a plain transport's address. */
    reply: Type.Object({
      transportId: Type.String(),
      /** WebRTC transports only (always there unless `plain` was asked for). */
      iceParameters: Type.Optional(Opaque('mediasoup IceParameters')),
      iceCandidates: Type.Optional(Type.Array(Opaque('mediasoup IceCandidate'))),
      dtlsParameters: Type.Optional(Opaque('mediasoup DtlsParameters')),
      /**
       * Plain transports only: where to send RTP and, on its own port, RTCP. The first
       * sender to reach each port is the one it takes media from (comedia).
       */
      ip: Type.Optional(Type.String()),
      port: Type.Optional(Type.Integer()),
      rtcpPort: Type.Optional(Type.Integer()),
    }),
  },
  connectTransport: {
    request: Type.Object({ transportId: Type.String(), dtlsParameters: Opaque('mediasoup DtlsParameters') }),
    reply: Empty,
  },
  produce: {
    request: Type.Object({
      transportId: Type.String(),
      kind: MediaKindSchema,
      source: MediaSourceSchema,
      rtpParameters: Opaque('mediasoup RtpParameters'),
      paused: Type.Optional(Type.Boolean()),
      /**
       * Video: the height in pixels of the top simulcast layer (default 720), from which
       * the server works out which layer fits a viewer's tile.
       */
      maxHeight: Type.Optional(Type.Integer({ minimum: 1, maximum: 4320 })),
    }),
    reply: Type.Object({ producerId: Type.String() }),
  },
  closeProducer: {
    request: Type.Object({ producerId: Type.String() }),
    reply: Empty,
  },
  pauseProducer: {
    request: Type.Object({ producerId: Type.String() }),
    reply: Empty,
  },
  resumeProducer: {
    request: Type.Object({ producerId: Type.String() }),
    reply: Empty,
  },
  /** Consumers start paused: resume them once the client's track is wired up. */
  consume: {
    request: Type.Object({
      transportId: Type.String(),
      producerId: Type.String(),
      rtpCapabilities: Type.Optional(Opaque('mediasoup RtpCapabilities; defaults to the one given at join')),
    }),
    reply: Type.Object({
      consumerId: Type.String(),
      producerId: Type.String(),
      peerId: Type.String(),
      kind: MediaKindSchema,
      source: MediaSourceSchema,
      /** An interpreter's audio: its language channel. */
      language: Type.Optional(Type.String()),
      rtpParameters: Opaque('mediasoup RtpParameters'),
      paused: Type.Boolean(),
    }),
  },
  resumeConsumer: {
    request: Type.Object({ consumerId: Type.String() }),
    reply: Empty,
  },
  /** Pause one of your consumers (the server stops sending it) until `resumeConsumer`. */
  pauseConsumer: {
    request: Type.Object({ consumerId: Type.String() }),
    reply: Empty,
  },
  /** Choose a simulcast/SVC consumer's layers yourself (0 = lowest). */
  setConsumerPreferredLayers: {
    request: Type.Object({
      consumerId: Type.String(),
      spatialLayer: Type.Integer({ minimum: 0, maximum: 15 }),
      temporalLayer: Type.Optional(Type.Integer({ minimum: 0, maximum: 15 })),
    }),
    reply: Empty,
  },
  /**
   * The size at which the viewer shows a video consumer (CSS pixels × devicePixelRatio):
   * the server picks the smallest layer that fills it. A hidden tile (`visible: false`, or
   * a zero size) is paused on the server until it shows again.
   */
  setConsumerTileSize: {
    request: Type.Object({
      consumerId: Type.String(),
      width: Type.Integer({ minimum: 0, maximum: 16384 }),
      height: Type.Integer({ minimum: 0, maximum: 16384 }),
      visible: Type.Optional(Type.Boolean()),
    }),
    reply: Type.Object({
      /** The preferred spatial layer now (absent for a consumer without layers). */
      spatialLayer: Type.Optional(Type.Integer()),
      /** Whether the server holds the consumer paused because its tile is hidden. */
      hidden: Type.Boolean(),
    }),
  },
  leave: {
    request: Empty,
    reply: Empty,
  },
  /**
   * Listen to an interpreter's language channel (`language`), or to the original audio
   * (`language: null`), and optionally mute the original while listening to a channel.
   * The server stops sending what you do not listen to.
   */
  setInterpretation: {
    request: Type.Object({
      language: Type.Union([Type.String({ minLength: 2, maxLength: 16 }), Type.Null()]),
      muteOriginal: Type.Optional(Type.Boolean()),
    }),
    reply: Type.Object({
      language: Type.Union([Type.String(), Type.Null()]),
      muteOriginal: Type.Boolean(),
      languages: Type.Array(Type.String()),
    }),
  },
  /**
   * A text message to the room's peers, or to one of them (`to`). Refused when the
   * grant's `chat` permission is false (the room or the token set disableChat).
   */
  sendChatMessage: {
    request: Type.Object({
      text: Type.String({ minLength: 1, maxLength: CHAT_MESSAGE_MAX_LENGTH }),
      to: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    }),
    reply: Type.Object({ messageId: Type.String(), sentAt: Type.String({ format: 'date-time' }) }),
  },
  /**
   * Start recording the room. Needs the `record` permission (a moderator whose token
   * carries canRecord: true); refused `already_recording` while one runs.
   */
  startRecording: {
    request: Empty,
    reply: Type.Object({ recordingId: Type.String() }),
  },
  /** Stop the room's recording (same permission); refused `not_recording` when none runs. */
  stopRecording: {
    request: Empty,
    reply: Type.Object({ recordingId: Type.String() }),
  },
} satisfies Record<string, { request: TSchema; reply: TSchema }>;

/** Notifications the server pushes; they carry no id and expect no answer. */
export const SignalingNotifications = {
  peerJoined: PeerInfo,
  peerLeft: Type.Object({ peerId: Type.String(), reason: Type.String() }),
  producerAdded: ProducerInfo,
  producerClosed: Type.Object({ peerId: Type.String(), producerId: Type.String() }),
  producerPaused: Type.Object({ peerId: Type.String(), producerId: Type.String() }),
  producerResumed: Type.Object({ peerId: Type.String(), producerId: Type.String() }),
  consumerClosed: Type.Object({ consumerId: Type.String(), producerId: Type.String() }),
  /**
   * One of your producers was closed by the server: a moderator turned it off
   * (`moderator`), or your permissions or role no longer allow it (`permission`, `role`),
   * or the room's broadcaster limit was reached. Stop the local track.
   */
  producerClosedByServer: Type.Object({
    producerId: Type.String(),
    source: MediaSourceSchema,
    reason: Type.String(),
    by: Type.Optional(Type.String()),
  }),
  /** What you may do changed (a moderator allowed or forbade sharing, or changed your role). */
  permissionsChanged: Type.Object({ role: Type.String(), permissions: GrantPermissionsSchema }),
  /** Another peer's role changed. */
  peerRoleChanged: Type.Object({ peerId: Type.String(), role: Type.String() }),
  /**
   * A moderator acted (the rooms service's moderation actions, e.g. `disable_audio`,
   * `request_video`); `targetPeerId` is absent for the whole room. Sent to every peer.
   */
  moderation: Type.Object({
    action: Type.String(),
    targetPeerId: Type.Optional(Type.String()),
    by: Type.String(),
  }),
  /** The layers a simulcast/SVC consumer actually receives changed (none: nothing is sent). */
  consumerLayersChanged: Type.Object({
    consumerId: Type.String(),
    spatialLayer: Type.Optional(Type.Integer()),
    temporalLayer: Type.Optional(Type.Integer()),
  }),
  /** Another peer started sharing its screen (its `producerAdded` with source `screen` comes too). */
  screenShareStarted: Type.Object({ peerId: Type.String(), producerId: Type.String() }),
  /** A screen share ended; `reason` as in track.unpublished (`closed`, `moderator`, `permission`, `role`, `peer_left`). */
  screenShareStopped: Type.Object({
    peerId: Type.String(),
    producerId: Type.String(),
    reason: Type.String(),
  }),
  /**
   * The loudest microphones of the room (up to 10, loudest first), about once a second
   * while someone speaks; an empty list when the room falls silent. `volume` is in dBov
   * (0 is loudest, -127 silence).
   */
  audioLevels: Type.Object({
    levels: Type.Array(
      Type.Object({ peerId: Type.String(), producerId: Type.String(), volume: Type.Number() }),
    ),
  }),
  /** The room's dominant speaker changed (at most about once a second). */
  activeSpeaker: Type.Object({ peerId: Type.String(), producerId: Type.String() }),
  /**
   * The interpretation channels one can listen to changed: a language appears with its
   * first interpreter and stays for a while (30 s) after its last one left.
   */
  interpretationLanguages: Type.Object({ languages: Type.Array(Type.String()) }),
  /** The server changed what you listen to (your language's channel closed: back to the original). */
  interpretationChanged: Type.Object({
    language: Type.Union([Type.String(), Type.Null()]),
    muteOriginal: Type.Boolean(),
    reason: Type.String(),
  }),
  /** A peer of the room raised its hand (the rooms service's hand.raised); sent to every peer. */
  handRaised: Type.Object({ peerId: Type.String() }),
  /** A raised hand was lowered, by its owner or a moderator (`by`); sent to every peer. */
  handLowered: Type.Object({ peerId: Type.String(), by: Type.String() }),
  /** A chat message from another peer (never echoed to its writer, who has the reply). */
  chatMessage: ChatMessage,
  /** The room started or stopped being recorded; sent to every peer (also in the join reply). */
  recordingChanged: Type.Object({ recording: Type.Boolean() }),
  /** The server ends this peer's session (grant expired, replaced, room closed); the socket closes next. */
  sessionClosed: Type.Object({ reason: Type.String() }),
} satisfies Record<string, TSchema>;

export type SignalingMethod = keyof typeof SignalingRequests;
export type SignalingNotification = keyof typeof SignalingNotifications;
/** What a request of method M carries in `data`. */
export type SignalingPayloadOf<M extends SignalingMethod> = Static<(typeof SignalingRequests)[M]['request']>;
/** What a successful reply to M carries in `data`. */
export type SignalingReplyOf<M extends SignalingMethod> = Static<(typeof SignalingRequests)[M]['reply']>;
export type SignalingNotificationOf<N extends SignalingNotification> = Static<
  (typeof SignalingNotifications)[N]
>;
