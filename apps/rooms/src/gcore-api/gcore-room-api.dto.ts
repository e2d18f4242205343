import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** `{peerId}`, the body of closePeer and existingPeer. */
export class PeerIdRequestDto {
  @ApiProperty({ description: 'The peer id the participant joined with', example: 'de9b6927' })
  @IsString()
  @Length(1, 256)
  peerId: string;
}

export class ClosedPeerResponse {
  @ApiProperty() roomId: string;
  @ApiProperty() peerId: string;
  @ApiProperty({ enum: [true] }) closed: true;
}

export class BroadcastDurationResponse {
  @ApiProperty() roomId: string;
  @ApiProperty({ description: 'Whole seconds since the live room started (its first participant joined)' })
  duration: number;
  @ApiProperty({ description: 'When the live room started, ISO 8601' }) startedAt: string;
}

export class ClosedRoomResponse {
  @ApiProperty() roomId: string;
  @ApiProperty({ enum: [true] }) closed: true;
  @ApiProperty({ description: 'How many peers were taken out of the room' }) peersRemoved: number;
}

export class PeerCountResponse {
  @ApiProperty() roomId: string;
  @ApiProperty({ description: 'Peers present in the room now' }) peers: number;
}

export class ExistingPeerResponse {
  @ApiProperty() roomId: string;
  @ApiProperty() peerId: string;
  @ApiProperty({ description: 'Whether the peer attends the room now' }) exists: boolean;
}
