import { ApiProperty } from '@nestjs/swagger';
import { ALIAS_TYPES, AliasEntity, AliasType } from './alias.entity';

export class AliasDto {
  @ApiProperty({ example: 'alias_2XH5gT8vKpQm' }) id: string;
  @ApiProperty({ enum: ALIAS_TYPES }) type: AliasType;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The passcode given at creation; null when none was',
  })
  passcode: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The jwt_secret, echoed once in the answer to its creation; null everywhere else',
  })
  jwt_secret: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'live_8fKq2XH5gT8vKpQm3LzR0aNw7YcB1dEe',
    description:
      "A live alias's streaming key (null for a conference alias); when read with a token, only a host's token sees it",
  })
  stream_key: string | null;
  @ApiProperty({ description: 'Expiry, epoch seconds' }) expired_at: number;
}

export class AliasWithInsertedAtDto extends AliasDto {
  @ApiProperty({ description: 'Creation time, epoch seconds' }) inserted_at: number;
}

export class CreatedAliasResponse {
  @ApiProperty({ type: AliasDto }) data: AliasDto;
}

export class AliasResponse {
  @ApiProperty({ type: AliasWithInsertedAtDto }) data: AliasWithInsertedAtDto;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function aliasDto(row: AliasEntity, jwtSecret: string | null): AliasDto {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    passcode: row.passcode,
    jwt_secret: jwtSecret,
    stream_key: row.streamKey,
    expired_at: seconds(row.expiredAt),
  };
}

/** What a token holder reads: never the secret, and the streaming key only for a host. */
export function aliasWithInsertedAt(row: AliasEntity, reader: { host: boolean }): AliasWithInsertedAtDto {
  const dto = aliasDto(row, null);
  return { ...dto, stream_key: reader.host ? dto.stream_key : null, inserted_at: seconds(row.insertedAt) };
}
