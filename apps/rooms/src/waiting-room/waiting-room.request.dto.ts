import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, Matches } from 'class-validator';
import { WaitingStatuses } from './waiting-policy';
import { ActorConnectionDto } from '../moderation/moderation.request.dto';

export class WaitingRoomSwitchDto extends ActorConnectionDto {
  @ApiProperty({ description: 'true: joiners wait for a moderator; false: everyone waiting is let in' })
  @IsBoolean()
  enabled: boolean;
}

export class WaitingPollQueryDto {
  @ApiProperty({ description: 'The ticket the waiting join answered' })
  @Matches(/^wt_[A-Za-z0-9_-]{16,64}$/, { message: 'ticket must be the ticket the waiting room answered' })
  ticket: string;
}

export class WaitingEntryDto {
  @ApiProperty() waitingId: string;
  @ApiProperty() peerId: string;
  @ApiProperty({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({
    enum: WaitingStatuses,
    description: 'admitted: join again with the ticket and the same peerId; expired: join again without it',
  })
  status: string;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ description: 'When a pending request lapses, or an admission stops letting its joiner in' })
  expiresAt: string;
}

export class WaitingListDto {
  @ApiProperty({ type: [WaitingEntryDto] }) waiting: WaitingEntryDto[];
}

export class WaitingRoomSwitchAnswer {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ description: 'How many waiting joiners turning it off let in' }) admitted: number;
}
