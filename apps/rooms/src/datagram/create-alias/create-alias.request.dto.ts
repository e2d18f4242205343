import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, ValidateBy } from 'class-validator';
import { ALIAS_TYPES, AliasType } from '../alias.entity';

/** 9999-12-31T23:59:59Z: past it, a Date cannot hold the expiry. */
const LAST_EPOCH_SECOND = 253_402_300_799;

/** An epoch time in seconds that is still to come when the request is validated. */
function IsFutureEpochSeconds(): PropertyDecorator {
  return ValidateBy({
    name: 'isFutureEpochSeconds',
    validator: {
      validate: (value: unknown) => typeof value === 'number' && value > Date.now() / 1000,
      defaultMessage: (args) => `${args?.property ?? 'value'} must be a Unix time in seconds in the future`,
    },
  });
}

/** Datagram's alias creation body, names as documented. */
export class CreateAliasRequestDto {
  @ApiProperty({ enum: ALIAS_TYPES, example: 'conference' })
  @IsIn(ALIAS_TYPES)
  type: AliasType;

  @ApiPropertyOptional({ example: 'Team Sync Alias' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  name?: string;

  @ApiPropertyOptional({
    description: 'A passcode for the alias, answered back as `passcode` (null when none is set)',
    example: 'Pr0d!2024',
    minLength: 4,
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @Length(4, 64)
  passcode?: string;

  @ApiProperty({
    description: 'The secret alias tokens are signed with (HS256); kept by the auth service, shown once',
    minLength: 8,
    maxLength: 1024,
  })
  @IsString()
  @Length(8, 1024)
  jwt_secret: string;

  @ApiProperty({ description: 'When the alias expires, Unix time in seconds', example: 1737456308 })
  @IsInt()
  @Max(LAST_EPOCH_SECOND)
  @IsFutureEpochSeconds()
  expired_at: number;
}
