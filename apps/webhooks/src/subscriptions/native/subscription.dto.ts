import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Subscription } from '../subscription';

const EVENT_TYPE = /^[a-z0-9-]+\.[a-z0-9-]+$/;

export class CreateSubscriptionRequestDto {
  @ApiProperty({ example: 'https://hooks.example.com/confer' })
  @IsString()
  @Length(1, 2048)
  url: string;

  @ApiPropertyOptional({ type: [String], example: ['peer.joined', 'peer.left'], description: 'Omit for all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(EVENT_TYPE, { each: true, message: 'eventTypes must be like "peer.joined"' })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: 'Only this room; omit for every room of the organisation' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  roomId?: string;

  @ApiPropertyOptional({
    description: 'Also sign with Standard Webhooks headers (HMAC, per-subscription secret)',
  })
  @IsOptional()
  @IsBoolean()
  standardWebhooks?: boolean;
}

export class UpdateSubscriptionRequestDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 2048) url?: string;

  @ApiPropertyOptional({ type: [String], nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(EVENT_TYPE, { each: true, message: 'eventTypes must be like "peer.joined"' })
  eventTypes?: string[] | null;

  @ApiPropertyOptional({ description: 'false disables it, true enables it again' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class RedeliverSinceRequestDto {
  @ApiProperty({ example: '2026-11-24T17:00:00Z', description: 'Every delivery recorded since then' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'since must be an ISO 8601 date-time',
  })
  since: string;
}

export class SubscriptionDto {
  @ApiProperty() id: string;
  @ApiProperty() orgId: string;
  @ApiProperty({ enum: ['glayr', 'native'] }) kind: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: String, nullable: true }) roomId: string | null;
  @ApiProperty({ type: [String], nullable: true }) eventTypes: string[] | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: String, nullable: true }) disabledReason: string | null;
  @ApiProperty({ type: String, nullable: true }) expiresAt: string | null;
  @ApiPropertyOptional({ description: 'Standard Webhooks secret (whsec_…), shown to its owner' })
  signingSecret?: string;
  @ApiProperty() createdAt: string;
}

export function subscriptionDto(s: Subscription): SubscriptionDto {
  return {
    id: s.id,
    orgId: s.orgId,
    kind: s.kind,
    url: s.endpoint,
    roomId: s.roomId,
    eventTypes: s.eventTypes,
    active: s.status === 'active',
    disabledReason: s.disabledReason,
    expiresAt: s.expiresAt ? s.expiresAt.toISOString() : null,
    ...(s.signingSecret ? { signingSecret: s.signingSecret } : {}),
    createdAt: s.createdAt.toISOString(),
  };
}
