import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxWriter } from '@confer/outbox';
import { HandLowered, HandRaised } from '@confer/contracts';
import { RoomErrors } from '../../rooms.errors';
import { permissionsOf } from '../../joins/roles';
import { EffectiveAttributes } from '../../joins/effective-attributes';
import { RoomSessionEntity } from '../../rooms/room-session.entity';
import { actingConnection, ModerationActors } from '../moderation-actor';
import { handLoweredEvent, handRaisedEvent } from '../moderation-events';
import { PeerModerationState } from '../peer-moderation-state';

/** A participant raises or lowers its own hand, where the room has hands enabled. */
@Injectable()
export class Hands {
  constructor(
    private readonly actors: ModerationActors,
    private readonly state: PeerModerationState,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Idempotent: a hand already up stays up, announced once. */
  raise(roomId: string, peerId: string, connectionId: string): Promise<{ raised: boolean }> {
    return this.actors.act(roomId, { connectionId }, { ownConnectionOf: peerId }, async (tx, actor) => {
      const connection = actingConnection(actor);
      const permissions = permissionsOf(connection.role, connection.attributes as EffectiveAttributes);
      if (!permissions.raiseHand)
        throw RoomErrors.handNotEnabled(
          { roomId },
          permissions.moderate ? { message: 'A moderator does not raise a hand' } : undefined,
        );
      const session = await this.session(tx, connection.sessionId);
      if (await this.state.raiseHand(tx, session.id, peerId, connection.connectionId))
        await this.outbox.add(tx, HandRaised, handRaisedEvent(session, peerId));
      return { raised: true };
    });
  }

  /** Idempotent: lowering a hand that is down changes nothing. */
  lower(roomId: string, peerId: string, connectionId: string): Promise<{ raised: boolean }> {
    return this.actors.act(roomId, { connectionId }, { ownConnectionOf: peerId }, async (tx, actor) => {
      const connection = actingConnection(actor);
      if (await this.state.lowerHand(tx, connection.connectionId)) {
        const session = await this.session(tx, connection.sessionId);
        await this.outbox.add(tx, HandLowered, handLoweredEvent(session, peerId, peerId));
      }
      return { raised: false };
    });
  }

  private session(tx: EntityManager, id: string): Promise<RoomSessionEntity> {
    return tx.getRepository(RoomSessionEntity).findOneByOrFail({ id });
  }
}
