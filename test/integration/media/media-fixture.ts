import { connect } from 'nats';
import { SignalingReplyOf, SignPlatformToken } from '@confer/contracts';
import { startRoomsFixture, RoomsFixture } from '../rooms/rooms-fixture';
import { startMediaService, RunningMediaService } from '../../support/media-service.harness';
import { SignalingTestClient } from '../../support/media-signaling.client';

export const OPUS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 11111111 }],
};
export const VP8 = {
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
  encodings: [{ ssrc: 22222222 }],
};

export interface MediaFixture {
  f: RoomsFixture;
  media: RunningMediaService;
  /** The grant a client would carry: a participant token minted through auth, joined through rooms. */
  grantFor(identity: string, roomId: string, extra?: Record<string, unknown>): Promise<JoinAnswer>;
  client(): Promise<SignalingTestClient>;
  joined(
    identity: string,
    roomId: string,
    extra?: Record<string, unknown>,
  ): Promise<{ c: SignalingTestClient; reply: SignalingReplyOf<'join'>; join: JoinAnswer }>;
  /** A grant signed by the real platform key through auth's signing command, with chosen claims. */
  platformSigned(claims: Record<string, unknown>, ttlSeconds?: number): Promise<string>;
  /** Grant claims for a peer of a room of the fixture's organisation. */
  claimsFor(peer: string, room: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  closeClients(): void;
  close(): Promise<void>;
}

export interface JoinAnswer {
  peerId: string;
  connectionId: string;
  grant: { token: string };
}

/** Real auth, rooms and media services on one private NATS and the real PostgreSQL. */
export async function startMediaFixture(
  mediaOverrides: Record<string, string> = {},
  roomsOverrides: Record<string, string> = {},
): Promise<MediaFixture> {
  const f = await startRoomsFixture(roomsOverrides);
  const media = await startMediaService(f.auth, {
    ROOMS_URL: f.rooms.baseUrl,
    NATS_URL: f.auth.natsUrl,
    ...mediaOverrides,
  });
  const clients: SignalingTestClient[] = [];
  const fixture: MediaFixture = {
    f,
    media,
    async grantFor(identity, roomId, extra = {}) {
      const { body: joinBody = {}, ...tokenExtra } = extra as { body?: Record<string, unknown> };
      const token = await f.mint(identity, roomId, tokenExtra);
      const response = await f.join(roomId, { token, ...joinBody });
      if (response.status !== 201)
        throw new Error(`join failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as JoinAnswer;
    },
    async client() {
      const c = await SignalingTestClient.connect(media.signalingUrl);
      clients.push(c);
      return c;
    },
    async joined(identity, roomId, extra = {}) {
      const join = await fixture.grantFor(identity, roomId, extra);
      const c = await fixture.client();
      const reply = await c.request('join', { grant: join.grant.token });
      return { c, reply, join };
    },
    async platformSigned(claims, ttlSeconds = 60) {
      const nc = await connect({ servers: f.auth.natsUrl });
      try {
        const message = await nc.request(
          SignPlatformToken.subject,
          new TextEncoder().encode(
            JSON.stringify({
              audience: 'confer:join-grant',
              subject: String(claims.peer),
              claims,
              ttlSeconds,
            }),
          ),
          { timeout: 2000 },
        );
        const result = JSON.parse(new TextDecoder().decode(message.data)) as {
          ok: boolean;
          reply: { token: string };
        };
        if (!result.ok) throw new Error(`signing failed: ${JSON.stringify(result)}`);
        return result.reply.token;
      } finally {
        await nc.close();
      }
    },
    claimsFor(peer, room, overrides = {}) {
      return {
        org: f.org.orgId,
        room,
        session: 'sess',
        conferenceNumber: '12345678',
        peer,
        connection: `conn-${peer}`,
        role: 'participant',
        perms: { publishAudio: true, publishVideo: true, shareScreen: true, subscribe: true, chat: true },
        mediaServer: 'serv0',
        ...overrides,
      };
    },
    closeClients() {
      for (const c of clients.splice(0)) c.close();
    },
    async close() {
      fixture.closeClients();
      await media.close();
      await f.close();
    },
  };
  return fixture;
}
