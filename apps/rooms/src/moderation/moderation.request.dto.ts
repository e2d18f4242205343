import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ParticipantRoles } from '@confer/contracts';
import { PEER_ACTIONS, PeerModerationAction, ROOM_ACTIONS, RoomModerationAction } from './media-permissions';
import { ASSIGNABLE_ROLES, AssignableRole } from './role-change';

const ACTOR_CONNECTION =
  "The acting moderator's connectionId (the secret its join answered). Leave it out when calling with an API access token (Authorization: Bearer).";

/** Who acts: a moderator's own connection, unless the server API's Bearer token is sent. */
export class ActorConnectionDto {
  @ApiPropertyOptional({ description: ACTOR_CONNECTION })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  connectionId?: string;
}

export class PeerModerationRequestDto extends ActorConnectionDto {
  @ApiProperty({ enum: PEER_ACTIONS, description: 'What to do to the peer' })
  @IsIn(PEER_ACTIONS)
  action: PeerModerationAction;
}

export class RoomModerationRequestDto extends ActorConnectionDto {
  @ApiProperty({ enum: ROOM_ACTIONS, description: 'What to do to every peer of the room' })
  @IsIn(ROOM_ACTIONS)
  action: RoomModerationAction;
}

export class RoleChangeRequestDto extends ActorConnectionDto {
  @ApiProperty({ enum: ASSIGNABLE_ROLES, description: 'The new role, e.g. speaker for a webinar viewer' })
  @IsIn(ASSIGNABLE_ROLES, {
    message: `role must be one of ${ASSIGNABLE_ROLES.join(', ')} (other roles come only from tokens)`,
  })
  role: AssignableRole;
}

/** The peer's own connection: only the peer raises or lowers its hand. */
export class OwnConnectionDto {
  @ApiProperty({ description: 'Your connectionId (the secret your join answered)' })
  @IsString()
  @Length(1, 128)
  connectionId: string;
}

class PermissionsDto {
  @ApiProperty() publishAudio: boolean;
  @ApiProperty() publishVideo: boolean;
  @ApiProperty() shareScreen: boolean;
  @ApiProperty() subscribe: boolean;
  @ApiProperty() chat: boolean;
  @ApiProperty() raiseHand: boolean;
  @ApiProperty() moderate: boolean;
  @ApiProperty() record: boolean;
}

export class PeerModerationAnswer {
  @ApiProperty({ enum: PEER_ACTIONS }) action: string;
  @ApiProperty() peerId: string;
  @ApiProperty({ type: PermissionsDto, nullable: true, description: 'null once the peer was removed' })
  permissions: PermissionsDto | null;
}

export class RoomModerationAnswer {
  @ApiProperty({ enum: ROOM_ACTIONS }) action: string;
}

export class RoleChangeAnswer {
  @ApiProperty() peerId: string;
  @ApiProperty({ enum: ParticipantRoles }) from: string;
  @ApiProperty({ enum: ParticipantRoles }) role: string;
  @ApiProperty({ type: PermissionsDto }) permissions: PermissionsDto;
}

export class HandAnswer {
  @ApiProperty() raised: boolean;
}

class ModeratedPeerDto {
  @ApiProperty() peerId: string;
  @ApiProperty({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({ enum: ParticipantRoles }) role: string;
  @ApiProperty({ enum: ['call', 'webinar'] }) face: string;
  @ApiProperty() joinedAt: string;
  @ApiProperty({ type: PermissionsDto, description: "The role's permissions after moderators' changes" })
  permissions: PermissionsDto;
  @ApiProperty({ nullable: true, type: String }) handRaisedAt: string | null;
}

export class ModeratedPeersAnswer {
  @ApiProperty({ type: [ModeratedPeerDto] }) peers: ModeratedPeerDto[];
}
