import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { ParticipantRole, ParticipantRoles } from '@confer/contracts';
import { NO_CONTROL_CHARACTERS } from '../identifiers';
import {
  DEFAULT_PARTICIPANT_TOKEN_TTL_SECONDS,
  MIN_PARTICIPANT_TOKEN_TTL_SECONDS,
} from '../participant-token.constants';

export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export class MintParticipantTokenRequestDto {
  @ApiProperty({
    description: 'Who the token is for, in your system (becomes `sub`)',
    minLength: 1,
    maxLength: 256,
    example: 'user-42',
  })
  @IsString()
  @Length(1, 256)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'identity must not contain control characters' })
  identity: string;

  @ApiProperty({
    description: 'The room the token admits to',
    pattern: ROOM_ID_PATTERN.source,
    example: 'weekly-standup',
  })
  @IsString()
  @Matches(ROOM_ID_PATTERN, { message: 'roomId must be 1-128 letters, digits, "_" or "-"' })
  roomId: string;

  @ApiPropertyOptional({ enum: ParticipantRoles, default: 'participant' })
  @IsOptional()
  @IsIn(ParticipantRoles)
  role?: ParticipantRole;

  @ApiPropertyOptional({
    description: 'Name shown to the other participants',
    maxLength: 256,
    example: 'Ada Lovelace',
  })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'displayName must not contain control characters' })
  displayName?: string;

  @ApiPropertyOptional({
    description:
      'Lifetime in seconds; at most the service maximum (PARTICIPANT_TOKEN_MAX_TTL_SECONDS, 86400 by default)',
    minimum: MIN_PARTICIPANT_TOKEN_TTL_SECONDS,
    default: DEFAULT_PARTICIPANT_TOKEN_TTL_SECONDS,
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_PARTICIPANT_TOKEN_TTL_SECONDS)
  ttlSeconds?: number;

  @ApiPropertyOptional({
    description: 'Room attributes carried in the token and handed back by verification (e.g. canRecord)',
    type: 'object',
    additionalProperties: true,
    example: { canRecord: true },
  })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}
