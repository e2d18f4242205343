import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { CommandRejection } from '@confer/bus';
import { RegisterAliasCredential, ReplyOf, RequestOf } from '@confer/contracts';
import { SecretBox } from '../../crypto/secret-box';
import { AliasCredentialEntity } from '../alias-credential.entity';
import { identifierProblem } from '../identifiers';
import { ParticipantTokenKeys } from '../ports/participant-token-keys.port';

export type RegisterAliasCredentialRequest = RequestOf<typeof RegisterAliasCredential>;
export type RegisterAliasCredentialReply = ReplyOf<typeof RegisterAliasCredential>;

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Holds the jwt_secret of each private alias, sealed at rest (context = alias id, so
 * a sealed secret copied to another alias's row does not open). The rooms service
 * registers an alias when it creates it and again whenever it changes it.
 */
@Injectable()
export class AliasCredentials {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SecretBox) private readonly secretBox: SecretBox,
    @Inject(ParticipantTokenKeys) private readonly keys: ParticipantTokenKeys,
  ) {}

  /** Creates or replaces the alias's credential; an alias never moves to another organisation. */
  async register(request: RegisterAliasCredentialRequest): Promise<RegisterAliasCredentialReply> {
    // Stored as text and used as a foreign key: PostgreSQL would fail on a NUL byte (an outage to the caller).
    for (const field of ['orgId', 'roomId'] as const) {
      const problem = identifierProblem(request[field]);
      if (problem !== undefined) throw new CommandRejection('invalid_request', `${field} ${problem}`);
    }
    try {
      await this.dataSource.transaction(async (tx) => {
        const rows = tx.getRepository(AliasCredentialEntity);
        const existing = await rows.findOne({
          where: { aliasId: request.aliasId },
          lock: { mode: 'pessimistic_write' },
        });
        if (existing && existing.orgId !== request.orgId) {
          throw new CommandRejection(
            'alias_conflict',
            `Alias ${request.aliasId} belongs to another organisation`,
          );
        }
        await rows.save(
          rows.create({
            aliasId: request.aliasId,
            orgId: request.orgId,
            roomId: request.roomId,
            secretSealed: this.secretBox.seal(request.jwtSecret, request.aliasId),
            expiresAt: new Date(request.expiresAt * 1000),
          }),
        );
      });
    } catch (err) {
      if (
        err instanceof QueryFailedError &&
        (err.driverError as { code?: string } | undefined)?.code === FOREIGN_KEY_VIOLATION
      ) {
        throw new CommandRejection('organisation_not_found', `Organisation ${request.orgId} does not exist`);
      }
      throw err;
    }
    this.keys.forget('alias_secret', request.aliasId);
    return { aliasId: request.aliasId, expiresAt: request.expiresAt };
  }
}
