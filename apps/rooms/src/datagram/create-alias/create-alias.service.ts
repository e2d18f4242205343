import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { CommandClient, CommandFailed } from '@confer/bus';
import { RegisterAliasCredential } from '@confer/contracts';
import { HttpErrors } from '@confer/http';
import { RoomErrors } from '../../rooms.errors';
import { AliasEntity } from '../alias.entity';
import { aliasDto, AliasDto } from '../alias.response.dto';
import { CreateAliasRequestDto } from './create-alias.request.dto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `alias_` and 16 random letters and digits (~95 bits): also a valid room id. */
export function newAliasId(): string {
  // 256 % 62 leaves a slight bias, of no consequence for an identifier that is not a secret.
  return `alias_${randomAlphanumerics(16)}`;
}

/**
 * A live alias's streaming key, shaped as Datagram's (`live_…`), but drawn on its own
 * (32 letters and digits, ~190 bits, unbiased): it lets its holder stream, so it is not
 * derived from the alias id, which travels in links.
 */
export function newStreamKey(): string {
  let key = '';
  while (key.length < 32) {
    // Rejection sampling: 248 is the largest multiple of 62 below 256.
    for (const b of randomBytes(48)) if (b < 248 && key.length < 32) key += ALPHANUMERIC[b % 62];
  }
  return `live_${key}`;
}

function randomAlphanumerics(length: number): string {
  return Array.from(randomBytes(length), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/**
 * Creates a Datagram private alias, with its passcode if one is given and, for a live
 * alias, a streaming key. The row is written and the secret registered with
 * the auth service in one transaction: if auth cannot take the secret, no alias exists.
 */
@Injectable()
export class CreateAlias {
  readonly #logger = new Logger(CreateAlias.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly commands: CommandClient,
  ) {}

  async execute(orgId: string, request: CreateAliasRequestDto): Promise<AliasDto> {
    const id = newAliasId();
    const row = Object.assign(new AliasEntity(), {
      id,
      orgId,
      type: request.type,
      name: request.name ?? null,
      passcode: request.passcode ?? null,
      // Only a live alias streams.
      streamKey: request.type === 'live' ? newStreamKey() : null,
      roomId: id,
      expiredAt: new Date(request.expired_at * 1000),
      insertedAt: new Date(),
    });
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(AliasEntity).insert(row);
      await this.register(row, request.jwt_secret);
    });
    return aliasDto(row, request.jwt_secret);
  }

  private async register(alias: AliasEntity, jwtSecret: string): Promise<void> {
    try {
      await this.commands.request(
        RegisterAliasCredential,
        {
          aliasId: alias.id,
          orgId: alias.orgId,
          roomId: alias.roomId,
          jwtSecret,
          expiresAt: Math.floor(alias.expiredAt.getTime() / 1000),
        },
        { timeoutMs: 3000 },
      );
    } catch (error) {
      if (error instanceof CommandFailed && error.code === 'invalid_request')
        throw HttpErrors.invalidRequest(undefined, {
          message: `The alias was refused: ${error.remoteMessage}`,
        });
      this.#logger.error({
        msg: 'alias credential registration failed',
        aliasId: alias.id,
        orgId: alias.orgId,
        error: String(error),
      });
      throw RoomErrors.authUnavailable(undefined, {
        message: 'The alias cannot be created right now; try again shortly',
        cause: error,
      });
    }
  }
}
