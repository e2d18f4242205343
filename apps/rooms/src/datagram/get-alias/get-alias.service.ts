import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RoomErrors } from '../../rooms.errors';
import { ParticipantTokensClient } from '../../joins/participant-tokens.client';
import { AliasEntity } from '../alias.entity';
import { AliasWithInsertedAtDto, aliasWithInsertedAt } from '../alias.response.dto';

const ALIAS_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Reads an alias for the holder of a token signed with its jwt_secret. The token is
 * verified by the auth service for the alias's room; its `alias` must be this alias.
 */
@Injectable()
export class GetAlias {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: ParticipantTokensClient,
  ) {}

  async execute(aliasId: string, bearer: string | undefined): Promise<AliasWithInsertedAtDto> {
    if (!bearer) throw RoomErrors.tokenRequired();
    const alias = ALIAS_ID.test(aliasId)
      ? await this.dataSource.getRepository(AliasEntity).findOneBy({ id: aliasId })
      : null;
    if (!alias) throw RoomErrors.aliasNotFound({ aliasId });
    let participant;
    try {
      participant = await this.tokens.verify({ token: bearer, roomId: alias.roomId, orgId: alias.orgId });
    } catch (error) {
      // A token for another alias is as unauthorised here as a forged one.
      if (RoomErrors.wrongRoom.is(error)) throw RoomErrors.tokenInvalid({ reason: 'wrong_alias' });
      throw error;
    }
    if (participant.form !== 'datagram' || participant.attributes['alias'] !== alias.id)
      throw RoomErrors.tokenInvalid({ reason: 'wrong_alias' });
    // Streaming into a live alias is a host's business.
    return aliasWithInsertedAt(alias, { host: participant.role === 'host' });
  }
}
