import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ROOMS_CONFIG, RoomsConfig } from '../../config/rooms.config';
import { RoomErrors } from '../../rooms.errors';
import { ROOM_ID_PATTERN } from '../../rooms/room-id';
import { ParticipantTokensClient } from '../../joins/participant-tokens.client';
import { isCoviuOwner, SubscriptionRule } from '../subscriptions/subscription-rule';
import { roomPageUrl, sessionIdOf } from './session-link';

/**
 * A Coviu session link opened in a browser: the token is verified by the auth service
 * for the session it names, an owner's subscription is checked, and the browser is
 * sent to the room's page. The join itself is the web client's, with the same token,
 * and the owner rule holds there again (OwnerSubscriptionJoinHook).
 */
@Injectable()
export class OpenSessionLink {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: ParticipantTokensClient,
    private readonly rule: SubscriptionRule,
    @Inject(ROOMS_CONFIG) private readonly config: RoomsConfig,
  ) {}

  async execute(token: string): Promise<{ roomId: string; url: string }> {
    const sid = sessionIdOf(token);
    if (!ROOM_ID_PATTERN.test(sid)) {
      throw RoomErrors.invalidRoomId(
        { field: 'sid' },
        {
          message: `The session id (claim "sid") is not a valid room id: ${RoomErrors.invalidRoomId.message}`,
        },
      );
    }
    const participant = await this.tokens.verify({ token, roomId: sid });
    if (participant.form !== 'coviu') {
      throw RoomErrors.tokenInvalid(
        { reason: 'not_a_session_link', form: participant.form },
        { message: 'This token is not a Coviu session link; join the room with it instead' },
      );
    }
    if (isCoviuOwner(participant))
      await this.rule.check(this.dataSource.manager, participant.orgId, sid, participant);
    return { roomId: sid, url: roomPageUrl(this.config.PUBLIC_URL, sid, token) };
  }
}
