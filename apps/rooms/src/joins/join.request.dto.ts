import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
const JWT_ONLY = (name: string) =>
  `${name} can only be set inside a participant token (JWT only), not as a URL attribute`;

/**
 * A join: the token and the URL attributes of the room link, under their documented
 * names (Gcore's `/call/?roomId=…&peerId=…`), sent by the web client or a backend.
 */
export class JoinRequestDto {
  @ApiPropertyOptional({ description: 'Participant token (any accepted form)' })
  @IsOptional()
  @IsString()
  @Length(1, 16384)
  token?: string;

  @ApiPropertyOptional({
    enum: ['call', 'webinar'],
    default: 'call',
    description: 'Which page the peer opened',
  })
  @IsOptional()
  @IsIn(['call', 'webinar'])
  face?: 'call' | 'webinar';

  @ApiPropertyOptional({ description: 'The organisation owning the room, for links without a token' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  orgId?: string;

  @ApiPropertyOptional({ description: 'ID of the participant in your system; generated when absent' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.@:-]{1,128}$/, { message: 'peerId must be 1 to 128 letters, digits or _ . @ : -' })
  peerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  displayName?: string;

  @ApiPropertyOptional({ description: 'Your one-time access token, passed to accessUrl' })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  accessToken?: string;

  @ApiPropertyOptional({ description: 'Your access-check URL (POSTed {accessToken, roomId, peerId})' })
  @IsOptional()
  @Matches(/^https?:\/\/\S{1,2040}$/, { message: 'accessUrl must be an http(s) URL' })
  accessUrl?: string;

  @ApiPropertyOptional({ description: 'Authorization header for accessUrl' })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  authorizationAccess?: string;

  @ApiPropertyOptional({ description: 'Base URL of your joinPeer/closePeer webhooks' })
  @IsOptional()
  @Matches(/^https?:\/\/\S{1,2040}$/, { message: 'apiEvent must be an http(s) URL' })
  apiEvent?: string;

  @ApiPropertyOptional({ description: 'Authorization header for those webhooks' })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  authEvent?: string;

  @ApiPropertyOptional({ description: 'Webinar: true joins as a speaker, false as a viewer' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  itisparticipant?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  handEnabled?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  maxBroadcasters?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  maxWatchers?: number;

  @ApiPropertyOptional({
    description: "Milliseconds from the token's first connection after which it cannot reconnect",
  })
  @IsOptional()
  @IsInt()
  @Min(1000)
  tokenLifetime?: number;

  @ApiPropertyOptional({ description: 'URL of an external player shown to everyone' })
  @IsOptional()
  @Matches(/^https?:\/\/\S{1,2040}$/, { message: 'video must be an http(s) URL' })
  video?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  disableChat?: boolean;

  @ApiPropertyOptional({ example: 'en' })
  @IsOptional()
  @Matches(/^[a-z]{2}(-[A-Za-z]{2})?$/)
  lang?: string;

  @ApiPropertyOptional({
    description:
      'The ticket a 202 (waiting room) answered: re-join with it, and the same peerId, once a moderator admitted you',
  })
  @IsOptional()
  @Matches(/^wt_[A-Za-z0-9_-]{16,64}$/, {
    message: 'waitingTicket must be the ticket the waiting room answered',
  })
  waitingTicket?: string;

  // JWT-only attributes: named here so a link that carries them gets a clear refusal.
  @IsOptional()
  @Equals(undefined, { message: JWT_ONLY('role') })
  role?: never;

  @IsOptional()
  @Equals(undefined, { message: JWT_ONLY('canRecord') })
  canRecord?: never;

  @IsOptional()
  @Equals(undefined, { message: JWT_ONLY('waitingRoom') })
  waitingRoom?: never;
}
