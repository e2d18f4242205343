import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PeerJoined, PeerLeft, RoomStarted, VerifiedParticipant } from '@confer/contracts';
import { AppError } from '@confer/http';
import { OutboxWriter } from '@confer/outbox';
import { ROOMS_CONFIG, RoomsConfig } from '../config/rooms.config';
import { RoomErrors } from '../rooms.errors';
import { assertRoomId } from '../rooms/room-id';
import { lockRoom } from '../rooms/room-lock';
import { LiveRooms, roomStartedEvent } from '../rooms/live-rooms';
import { RoomSessionEntity } from '../rooms/room-session.entity';
import { MediaPlacementService } from '../media-servers/placement/media-placement.service';
import { moderatedAccess } from '../moderation/moderated-access';
import { sessionEntryFor } from '../coviu/session-entries/session-entries.join-hook';
import { PeerConnectionEntity } from '../presence/peer-connection.entity';
import { PeerDepartures } from '../presence/peer-departures';
import { peerJoinedEvent, peerLeftEvent } from '../presence/peer-events';
import { JoinState, JoinStateStore } from './join-state/join-state.store';
import { AccessCheckClient } from './access-check/access-check.client';
import { EffectiveAttributes, effectiveAttributes } from './effective-attributes';
import { JoinGrantClaims, JoinGrantSigner } from './grant-keys/join-grant-signer';
import { JoinRequestDto } from './join.request.dto';
import { JoinRefusal, JoinRefusalsPublisher } from './join-refusals.publisher';
import { ParticipantTokensClient } from './participant-tokens.client';
import { isBroadcaster, Permissions, permissionsOf, resolveRole } from './roles';
import { JOIN_HOOKS, JoinContext, JoinDeferral, JoinHook } from './join-hooks';

export interface JoinGrant {
  status: 'admitted';
  orgId: string;
  roomId: string;
  conferenceNumber: string;
  peerId: string;
  connectionId: string;
  displayName: string | null;
  role: string;
  permissions: Permissions;
  settings: EffectiveAttributes;
  mediaServer: { id: string; url: string };
  grant: { token: string; expiresAt: number };
  heartbeat: { path: string; intervalSeconds: number };
  replacedConnectionId: string | null;
}

/**
 * The one place a join is decided: token, attributes, the integrator's access check,
 * limits, token lifetime and the one-connection-per-peer rule, then the grant.
 *
 * Most joins take the direct path: their state is read in one statement, the grant is
 * signed, and one more statement admits them under the room lock if that state still
 * holds. Joins a hook takes part in (waiting room, Coviu owners, token lifetime), and
 * those whose state moved meanwhile, go through one transaction under the room lock.
 */
@Injectable()
export class DecideJoin {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: ParticipantTokensClient,
    private readonly accessCheck: AccessCheckClient,
    private readonly grants: JoinGrantSigner,
    private readonly liveRooms: LiveRooms,
    private readonly departures: PeerDepartures,
    private readonly placement: MediaPlacementService,
    private readonly outbox: OutboxWriter,
    private readonly states: JoinStateStore,
    private readonly refusals: JoinRefusalsPublisher,
    @Inject(ROOMS_CONFIG) private readonly config: RoomsConfig,
    @Inject(JOIN_HOOKS) private readonly hooks: readonly JoinHook[],
  ) {}

  async execute(roomId: string, request: JoinRequestDto): Promise<JoinGrant | JoinDeferral> {
    // A request that never named a valid room is malformed, not refused: nothing to announce.
    assertRoomId(roomId);
    // What is known of the joiner so far; the decision fills it in as it learns more.
    const known: Partial<JoinRefusal> = {
      roomId,
      face: request.face ?? 'call',
      orgId: request.orgId ?? this.config.DEFAULT_ORG_ID,
      peerId: request.peerId,
    };
    try {
      return await this.decide(roomId, request, known);
    } catch (error) {
      // Catalogued refusals only (a bug is no refusal), and only for a known organisation:
      // an event's subject names it. Announced without waiting, so the answer is not slowed.
      if (error instanceof AppError && known.orgId)
        this.refusals.announce({ ...(known as JoinRefusal), reason: error.code });
      throw error;
    }
  }

  private async decide(
    roomId: string,
    request: JoinRequestDto,
    known: Partial<JoinRefusal>,
  ): Promise<JoinGrant | JoinDeferral> {
    const participant = request.token
      ? await this.tokens.verify({
          token: request.token,
          roomId,
          ...(request.orgId ? { orgId: request.orgId } : {}),
          ...(request.peerId ? { peerId: request.peerId } : {}),
        })
      : undefined;
    const orgId = this.organisationOf(participant, request);
    const face = request.face ?? 'call';
    if (participant) Object.assign(known, { orgId, peerId: participant.identity });
    const peerId = participant?.identity ?? request.peerId ?? `peer_${randomBytes(9).toString('base64url')}`;

    const state = await this.states.read(orgId, roomId, peerId);
    if (state.session) await this.placement.ensureReachable(state.session);
    const settings = state.settings;
    if (settings.requireToken && !participant) throw RoomErrors.tokenRequired();
    const attributes = effectiveAttributes(request, settings, participant);
    const role = resolveRole(face, participant?.role, attributes);
    if (settings.locked && !permissionsOf(role, attributes).moderate) throw RoomErrors.roomLocked();

    if (attributes.accessUrl) await this.askAccessCheck(attributes, roomId, peerId);

    const decided: DecidedJoin = { orgId, roomId, peerId, face, role, attributes, participant, request };
    const context = this.contextOf(decided, state);
    const direct =
      !(request.token && attributes.tokenLifetime) && this.hooks.every((h) => h.passesDirectly?.(context));
    if (direct) {
      const admitted = await this.admitDirectly(context, state);
      if (admitted) return admitted;
    }
    return this.admitInTransaction(decided);
  }

  /**
   * What the hooks see: the join as decided from token and attributes, with what
   * moderators decided for this peer id in the state given applied.
   */
  private contextOf(decided: DecidedJoin, state: JoinState): JoinContext {
    const moderated = moderatedAccess(decided.role, decided.attributes, {
      role: state.moderatedRole,
      permissions: state.moderatedPermissions,
    });
    return { ...decided, ...moderated, session: state.session, waitingRoom: state.waitingRoom };
  }

  /**
   * The common join, in one statement under the room lock, which admits only if the
   * state read ahead still holds; null when it moved (the caller decides again in a
   * transaction). The grant is signed first: a join whose grant cannot be signed does
   * not happen at all.
   */
  private async admitDirectly(context: JoinContext, state: JoinState): Promise<JoinGrant | null> {
    const { orgId, roomId } = context;
    const session = state.session ?? this.liveRooms.newSession(orgId, roomId);
    const live = state.livePeer;
    const connection = this.connectionOf(context, session);
    const limit = this.limitOf(context);
    const server = this.placement.serverForPeer(session);
    const grant = await this.signGrant(context, session, connection, server);
    const leftAt = new Date();
    const events = [
      ...(state.session ? [] : [this.outbox.row(RoomStarted, roomStartedEvent(session))]),
      ...(live ? [this.outbox.row(PeerLeft, peerLeftEvent(live, session, 'replaced', leftAt))] : []),
      this.outbox.row(PeerJoined, peerJoinedEvent(connection, session)),
    ];
    const entry = sessionEntryFor({ ...context, session, connectionId: connection.connectionId }, null);
    const outcome = await this.states.admit({
      expect: state.fingerprint,
      session,
      limit: limit ?? null,
      replacing: live?.connectionId ?? null,
      leftAt,
      connection,
      entry,
      events,
    });
    if (outcome === 'full') throw roomFull(limit as Limit);
    if (outcome === 'stale') return null;
    return this.answer(context, session, connection, grant, live, server);
  }

  /** Every join a hook takes part in, and any whose state moved under a direct admission. */
  private admitInTransaction(decided: DecidedJoin): Promise<JoinGrant | JoinDeferral> {
    const { orgId, roomId, peerId, request, attributes } = decided;
    return this.dataSource.transaction(async (tx) => {
      await lockRoom(tx, orgId, roomId);
      await this.liveRooms.ensureRoomRow(tx, orgId, roomId);
      const state = await this.states.read(orgId, roomId, peerId, tx);
      const context = this.contextOf(decided, state);
      if (request.token && attributes.tokenLifetime)
        await this.checkTokenLifetime(tx, request.token, attributes.tokenLifetime);
      const live = state.livePeer;
      if (state.session) await this.checkLimits(tx, state.session.id, context, live?.connectionId);
      for (const hook of this.hooks) {
        // Hooks run before an empty room starts: a joiner held back starts nothing.
        const deferral = await hook.beforeAdmit?.(tx, context);
        if (deferral) return deferral;
      }
      const session = await this.liveRooms.startIfIdle(tx, orgId, roomId, state.session);
      if (live) await this.departures.depart(tx, live, 'replaced', { endRoomIfEmpty: false });

      const connection = this.connectionOf(context, session);
      await tx.query(
        `INSERT INTO peer_connections (connection_id, session_id, org_id, room_id, peer_id, display_name, role, face,
                                       attributes, callbacks, joined_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
        [
          connection.connectionId,
          session.id,
          orgId,
          roomId,
          peerId,
          connection.displayName,
          connection.role,
          connection.face,
          JSON.stringify(connection.attributes),
          connection.callbacks ? JSON.stringify(connection.callbacks) : null,
          connection.joinedAt,
        ],
      );
      await this.outbox.add(tx, PeerJoined, peerJoinedEvent(connection, session));
      for (const hook of this.hooks)
        await hook.afterAdmit?.(tx, { ...context, session, connectionId: connection.connectionId });

      // Signed before commit: a join whose grant cannot be signed does not happen at all.
      const server = this.placement.serverForPeer(session);
      const grant = await this.signGrant(context, session, connection, server);
      return this.answer(context, session, connection, grant, live, server);
    });
  }

  private connectionOf(context: JoinContext, session: RoomSessionEntity): PeerConnectionEntity {
    const { attributes, participant, request } = context;
    const now = new Date();
    return Object.assign(new PeerConnectionEntity(), {
      connectionId: `c_${randomBytes(18).toString('base64url')}`,
      sessionId: session.id,
      orgId: context.orgId,
      roomId: context.roomId,
      peerId: context.peerId,
      displayName: participant?.displayName ?? request.displayName ?? null,
      role: context.role,
      face: context.face,
      attributes: withoutSecrets(attributes),
      callbacks: attributes.apiEvent
        ? {
            apiEvent: attributes.apiEvent,
            ...(attributes.authEvent ? { authEvent: attributes.authEvent } : {}),
          }
        : null,
      joinedAt: now,
      lastSeenAt: now,
      leftAt: null,
      leaveReason: null,
    });
  }

  private signGrant(
    context: JoinContext,
    session: RoomSessionEntity,
    connection: PeerConnectionEntity,
    server: { id: string },
  ): Promise<JoinGrant['grant']> {
    return this.grants.sign(
      {
        org: context.orgId,
        room: context.roomId,
        session: session.id,
        conferenceNumber: session.conferenceNumber,
        peer: context.peerId,
        connection: connection.connectionId,
        role: context.role,
        perms: context.permissions,
        mediaServer: server.id,
        ...mediaClaimsOf(connection.displayName, context.attributes),
      },
      this.config.JOIN_GRANT_TTL_SECONDS,
    );
  }

  private answer(
    context: JoinContext,
    session: RoomSessionEntity,
    connection: PeerConnectionEntity,
    grant: JoinGrant['grant'],
    replaced: PeerConnectionEntity | null,
    server: { id: string; url: string },
  ): JoinGrant {
    return {
      status: 'admitted' as const,
      orgId: context.orgId,
      roomId: context.roomId,
      conferenceNumber: session.conferenceNumber,
      peerId: context.peerId,
      connectionId: connection.connectionId,
      displayName: connection.displayName,
      role: context.role,
      permissions: context.permissions,
      settings: withoutSecrets(context.attributes),
      mediaServer: { id: server.id, url: server.url },
      grant,
      heartbeat: {
        path: `/v1/rooms/${context.roomId}/peers/${encodeURIComponent(context.peerId)}/heartbeat`,
        intervalSeconds: Math.max(1, Math.floor(this.config.PEER_HEARTBEAT_TIMEOUT_SECONDS / 3)),
      },
      replacedConnectionId: replaced?.connectionId ?? null,
    };
  }

  private organisationOf(participant: VerifiedParticipant | undefined, request: JoinRequestDto): string {
    if (participant) {
      if (request.orgId && request.orgId !== participant.orgId) {
        throw RoomErrors.wrongRoom(undefined, {
          message: 'The participant token belongs to another organisation',
        });
      }
      return participant.orgId;
    }
    const orgId = request.orgId ?? this.config.DEFAULT_ORG_ID;
    if (!orgId)
      throw RoomErrors.tokenRequired(undefined, { message: 'Enter this room with a participant token' });
    return orgId;
  }

  private async askAccessCheck(
    attributes: EffectiveAttributes,
    roomId: string,
    peerId: string,
  ): Promise<void> {
    const answer = await this.accessCheck.check({
      url: attributes.accessUrl as string,
      ...(attributes.authorizationAccess ? { authorization: attributes.authorizationAccess } : {}),
      body: { ...(attributes.accessToken ? { accessToken: attributes.accessToken } : {}), roomId, peerId },
    });
    if (answer.outcome === 'admit') return;
    if (answer.outcome === 'unavailable') throw RoomErrors.accessCheckUnavailable({ cause: answer.cause });
    switch (answer.status) {
      case 404:
        throw RoomErrors.roomNotFound(
          { accessCheckStatus: 404 },
          { message: 'The access check does not know this room' },
        );
      case 423:
        throw RoomErrors.roomLocked({ accessCheckStatus: 423 });
      case 425:
        throw RoomErrors.tooEarly(
          { accessCheckStatus: 425, ...(attributes.startTime ? { startTime: attributes.startTime } : {}) },
          {
            message: attributes.startTime
              ? `The event has not started yet. Start ${attributes.startTime}`
              : undefined,
          },
        );
      default:
        throw RoomErrors.accessDenied(
          { accessCheckStatus: answer.status },
          { message: ACCESS_DENIED_MESSAGES[answer.status] ?? RoomErrors.accessDenied.message },
        );
    }
  }

  private async checkTokenLifetime(tx: EntityManager, token: string, lifetimeMs: number): Promise<void> {
    const hash = createHash('sha256').update(token).digest('hex');
    const [row] = (await tx.query(
      `INSERT INTO token_first_uses (token_hash) VALUES ($1)
       ON CONFLICT (token_hash) DO UPDATE SET token_hash = EXCLUDED.token_hash
       RETURNING first_used_at`,
      [hash],
    )) as Array<{ first_used_at: Date }>;
    if (Date.now() - new Date(row.first_used_at).getTime() > lifetimeMs)
      throw RoomErrors.tokenLifetimeExceeded();
  }

  /** How many peers of the joiner's kind the room holds at most, if it is limited. */
  private limitOf(context: JoinContext): Limit | undefined {
    const { attributes, face } = context;
    const broadcaster = isBroadcaster(context.role);
    const max = broadcaster
      ? (attributes.maxBroadcasters ?? (face === 'webinar' ? this.config.WEBINAR_MAX_SPEAKERS : undefined))
      : (attributes.maxWatchers ?? (face === 'webinar' ? this.config.WEBINAR_MAX_VIEWERS : undefined));
    return max === undefined ? undefined : { max, broadcaster };
  }

  private async checkLimits(
    tx: EntityManager,
    sessionId: string,
    context: JoinContext,
    replacing: string | undefined,
  ): Promise<void> {
    const limit = this.limitOf(context);
    if (!limit) return;
    const [{ present }] = (await tx.query(
      `SELECT count(*)::int AS present FROM peer_connections
        WHERE session_id = $1 AND left_at IS NULL AND (role = 'viewer') = $2 AND connection_id <> $3`,
      [sessionId, !limit.broadcaster, replacing ?? ''],
    )) as Array<{ present: number }>;
    if (present >= limit.max) throw roomFull(limit);
  }
}

/** A join before the room's state has its say: the role comes from the token and attributes only. */
type DecidedJoin = Omit<JoinContext, 'permissions' | 'session' | 'waitingRoom'>;

interface Limit {
  max: number;
  broadcaster: boolean;
}

function roomFull({ max, broadcaster }: Limit) {
  const kind = broadcaster ? 'broadcasters' : 'watchers';
  return RoomErrors.roomFull({ limit: max, kind }, { message: `The room is full: at most ${max} ${kind}` });
}

const ACCESS_DENIED_MESSAGES: Record<number, string> = {
  400: 'The access check did not find this token, room or peer',
  401: 'Access to the room was declined',
  403: 'The access token is invalid',
};

/**
 * The optional claims the media service reads from a grant, only when known and only in the
 * form it accepts: it refuses a whole grant whose optional claim is malformed, so a token
 * attribute it would refuse (an `intLang` that is no language tag) is left out rather than
 * making the grant unusable.
 */
export function mediaClaimsOf(
  displayName: string | null,
  attributes: EffectiveAttributes,
): Pick<JoinGrantClaims, 'displayName' | 'intLang' | 'maxBroadcasters'> {
  const { intLang, maxBroadcasters } = attributes;
  return {
    ...(displayName && displayName.length <= 256 ? { displayName } : {}),
    ...(typeof intLang === 'string' && LANGUAGE_TAG.test(intLang) ? { intLang } : {}),
    ...(Number.isInteger(maxBroadcasters) && (maxBroadcasters as number) >= 0
      ? { maxBroadcasters: maxBroadcasters as number }
      : {}),
  };
}

/** The language tags the media service takes as an interpreter's channel (`de`, `pt-BR`). */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/** Credentials among the attributes (headers for callbacks) never leave in answers or events. */
function withoutSecrets(attributes: EffectiveAttributes): EffectiveAttributes {
  const { authorizationAccess: _a, authEvent: _e, accessToken: _t, ...rest } = attributes;
  return rest;
}
