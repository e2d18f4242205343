import { Injectable, Logger } from '@nestjs/common';
import { EventPublisherPort } from '@confer/bus';
import { buildEvent, PeerJoinRefused, RoomFaces } from '@confer/contracts';

export interface JoinRefusal {
  orgId: string;
  roomId: string;
  peerId?: string;
  face: (typeof RoomFaces)[number];
  /** The stable code the joiner was answered (the rooms catalogue's, e.g. `room_full`). */
  reason: string;
}

/**
 * Announces refused joins on the bus, straight through the publisher and not the outbox: a
 * refusal changes no state, so there is no transaction to be atomic with — and where a
 * transaction is at hand (a join decided under the room lock), the refusal rolls it back,
 * which would take an outbox row with it. The announcement is fire-and-forget: it never
 * delays or fails the joiner's answer; a lost one is logged, and costs a counter tick only.
 */
@Injectable()
export class JoinRefusalsPublisher {
  private readonly logger = new Logger(JoinRefusalsPublisher.name);

  constructor(private readonly publisher: EventPublisherPort) {}

  announce(refusal: JoinRefusal): void {
    void this.publish(refusal).catch((error: unknown) =>
      this.logger.warn({
        message: 'join refusal not announced',
        orgId: refusal.orgId,
        roomId: refusal.roomId,
        peerId: refusal.peerId,
        reason: refusal.reason,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  private async publish({ orgId, roomId, peerId, face, reason }: JoinRefusal): Promise<void> {
    // Each refusal is its own fact: buildEvent's fresh id makes two refusals of one peer two events.
    const event = buildEvent(PeerJoinRefused, {
      source: '/confer/rooms',
      orgId,
      roomId,
      subject: `rooms/${roomId}`,
      data: { roomId, ...(peerId ? { peerId } : {}), reason, face, at: new Date().toISOString() },
    });
    await this.publisher.publish(PeerJoinRefused, event);
  }
}
