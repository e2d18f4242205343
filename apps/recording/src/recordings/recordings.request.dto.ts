import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { RECORDING_STATUSES } from './recording.rows';

/** Start or stop: the caller's credentials when it sends no access token. */
export class RecordingActionDto {
  @ApiPropertyOptional({
    description:
      "A moderator's participant token carrying canRecord: true, when no organisation access token is sent as Bearer",
  })
  @IsOptional()
  @IsString()
  @Length(1, 16384)
  token?: string;
}

export class ListRecordingsQueryDto {
  @ApiPropertyOptional({ description: 'Only this room' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'roomId must be 1 to 128 letters, digits, "_" or "-"' })
  roomId?: string;

  @ApiPropertyOptional({ enum: RECORDING_STATUSES })
  @IsOptional()
  @IsIn(RECORDING_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Started at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Started before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Page size, 1-100 (default 20)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's nextCursor" })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  cursor?: string;
}
