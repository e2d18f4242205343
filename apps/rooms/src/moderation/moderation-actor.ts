import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AccessTokenGuard, Principal, RequestWithPrincipal } from '@confer/auth-client';
import type { ParticipantRole } from '@confer/contracts';
import { RoomErrors } from '../rooms.errors';
import { lockRoom } from '../rooms/room-lock';
import { PeerConnectionEntity } from '../presence/peer-connection.entity';
import { isModerating } from '../joins/roles';

/** Header naming the acting connection on routes without a body (GET). */
export const CONNECTION_HEADER = 'confer-connection-id';

/** What a caller presented to act in a room: an API access token, or the secret of its own connection. */
export interface ActorCredentials {
  principal?: Principal;
  connectionId?: string;
}

/** Who acts: a peer in the room (its live connection), or the organisation's server API. */
export type Actor =
  | {
      kind: 'peer';
      orgId: string;
      /** Named in events as `by`. */
      by: string;
      peerId: string;
      connectionId: string;
      role: ParticipantRole;
      connection: PeerConnectionEntity;
    }
  | { kind: 'server'; orgId: string; by: string; clientId: string };

/** What the action asks of its actor: to run the room, or to be the peer it acts on. */
export type ActorRequirement = 'moderator' | { ownConnectionOf: string };

/**
 * Lets the server API's Bearer token through AccessTokenGuard when one is sent, and
 * leaves other callers to be resolved by their connectionId.
 */
@Injectable()
export class ActorCredentialsGuard implements CanActivate {
  constructor(private readonly accessTokens: AccessTokenGuard) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    return request.headers.authorization ? this.accessTokens.canActivate(context) : true;
  }
}

/** The caller's credentials: the principal AccessTokenGuard set, else a connectionId from the body or header. */
export const CurrentActorCredentials = createParamDecorator(
  (_: unknown, context: ExecutionContext): ActorCredentials => {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    if (request.principal) return { principal: request.principal };
    const body = request.body as { connectionId?: unknown } | undefined;
    const header = request.headers[CONNECTION_HEADER];
    const connectionId = typeof body?.connectionId === 'string' ? body.connectionId : header;
    return typeof connectionId === 'string' && connectionId.length > 0 ? { connectionId } : {};
  },
);

/**
 * The one way every waiting-room and moderation route establishes its actor: it
 * resolves the credentials to an organisation, takes the room lock in a new
 * transaction, checks the actor again under that lock (a moderator removed a moment
 * ago acts no more), then runs the work in the same transaction.
 */
@Injectable()
export class ModerationActors {
  constructor(private readonly dataSource: DataSource) {}

  async act<T>(
    roomId: string,
    credentials: ActorCredentials,
    requirement: ActorRequirement,
    work: (tx: EntityManager, actor: Actor) => Promise<T>,
  ): Promise<T> {
    const orgId = await this.organisationOf(this.dataSource.manager, roomId, credentials);
    return this.dataSource.transaction(async (tx) => {
      await lockRoom(tx, orgId, roomId);
      const actor = await this.resolve(tx, roomId, credentials);
      assertMeets(actor, requirement);
      return work(tx, actor);
    });
  }

  private async organisationOf(
    manager: EntityManager,
    roomId: string,
    credentials: ActorCredentials,
  ): Promise<string> {
    if (credentials.principal) return credentials.principal.orgId;
    return (await this.liveConnection(manager, roomId, credentials)).orgId;
  }

  private async resolve(tx: EntityManager, roomId: string, credentials: ActorCredentials): Promise<Actor> {
    if (credentials.principal) {
      const { orgId, clientId } = credentials.principal;
      return { kind: 'server', orgId, clientId, by: clientId };
    }
    const connection = await this.liveConnection(tx, roomId, credentials);
    return {
      kind: 'peer',
      orgId: connection.orgId,
      by: connection.peerId,
      peerId: connection.peerId,
      connectionId: connection.connectionId,
      role: connection.role,
      connection,
    };
  }

  private async liveConnection(
    manager: EntityManager,
    roomId: string,
    credentials: ActorCredentials,
  ): Promise<PeerConnectionEntity> {
    if (!credentials.connectionId) throw RoomErrors.actorRequired();
    const connection = await manager
      .getRepository(PeerConnectionEntity)
      .findOneBy({ connectionId: credentials.connectionId, roomId, leftAt: IsNull() });
    if (!connection) throw RoomErrors.notInRoom({ roomId });
    return connection;
  }
}

/** The acting peer's connection, for actions whose requirement already ensured a peer acts. */
export function actingConnection(actor: Actor): PeerConnectionEntity {
  if (actor.kind !== 'peer') throw RoomErrors.forbidden();
  return actor.connection;
}

/** Whether an actor may do what the action asks of it; throws the catalogued refusal otherwise. */
export function assertMeets(actor: Actor, requirement: ActorRequirement): void {
  if (requirement === 'moderator') {
    if (actor.kind === 'peer' && !isModerating(actor.role))
      throw RoomErrors.moderatorRequired({ role: actor.role });
    return;
  }
  if (actor.kind !== 'peer')
    throw RoomErrors.forbidden(undefined, {
      message: 'Only the peer itself can do this, with the connectionId its join answered',
    });
  if (actor.peerId !== requirement.ownConnectionOf)
    throw RoomErrors.forbidden(undefined, { message: 'You can only do this for yourself' });
}
