import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsISO8601, IsOptional, IsString, IsUrl, Length, Max, Min } from 'class-validator';

/**
 * What an organisation can fix for a room ahead of time (`PUT /v1/rooms/:roomId`).
 * A participant's token may set the same attributes for itself; URL attributes may
 * set those that are not "JWT only" in the Gcore document.
 */
export class RoomSettings {
  @ApiPropertyOptional({ description: 'Joiners wait until a moderator admits them' })
  @IsOptional()
  @IsBoolean()
  waitingRoom?: boolean;

  @ApiPropertyOptional({ description: 'Participants may raise a hand' })
  @IsOptional()
  @IsBoolean()
  handEnabled?: boolean;

  @ApiPropertyOptional({ description: 'Most peers publishing camera or microphone at once' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  maxBroadcasters?: number;

  @ApiPropertyOptional({ description: 'Most peers only watching at once' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  maxWatchers?: number;

  @ApiPropertyOptional({ description: 'Refuse joins without a participant token' })
  @IsOptional()
  @IsBoolean()
  requireToken?: boolean;

  @ApiPropertyOptional({ description: 'Refuse every join (423 locked)' })
  @IsOptional()
  @IsBoolean()
  locked?: boolean;

  @ApiPropertyOptional({ description: "The integrator's access-check URL, asked before every join" })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  accessUrl?: string;

  @ApiPropertyOptional({ description: 'Authorization header sent to accessUrl' })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  authorizationAccess?: string;

  @ApiPropertyOptional({ description: 'Where joinPeer/closePeer webhooks of this room go' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  apiEvent?: string;

  @ApiPropertyOptional({ description: 'Authorization header sent with those webhooks' })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  authEvent?: string;

  @ApiPropertyOptional({
    description: "Milliseconds from a token's first connection after which it cannot reconnect",
  })
  @IsOptional()
  @IsInt()
  @Min(1000)
  tokenLifetime?: number;

  @ApiPropertyOptional({
    description: 'Planned start of the event (ISO 8601); joins before it are refused with 425',
  })
  @IsOptional()
  @IsISO8601()
  startTime?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disableChat?: boolean;

  @ApiPropertyOptional({ description: 'A moderator may record' })
  @IsOptional()
  @IsBoolean()
  canRecord?: boolean;

  @ApiPropertyOptional({
    description:
      "Record this room automatically (or never), whatever the organisation's auto-recording setting; its delays are the organisation's",
  })
  @IsOptional()
  @IsBoolean()
  autoRecord?: boolean;
}

export type RoomSettingsValues = { [K in keyof RoomSettings]: RoomSettings[K] };
