import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { coviuPaths, HalLinkDto, PageLinksDto } from '../coviu-links';
import { SessionEntryEntity } from './session-entry.entity';

export class SessionEntryContentDto {
  @ApiProperty({ type: String, nullable: true, description: 'The name shown in the call' }) name:
    string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Always null: participant tokens are credentials and are never stored or returned. See accessTokenSha256.',
  })
  accessToken: null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'SHA-256 (hex) of the participant token the entry was granted with; null without a token',
  })
  accessTokenSha256: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The API key that signed the Coviu session link; null for other joins',
  })
  clientId: string | null;
  @ApiProperty({ description: 'The session (room) id, the session link’s sid' }) sessionId: string;
  @ApiProperty() orgId: string;
  @ApiProperty({ description: 'When access was granted, epoch milliseconds' }) entryTime: number;
  @ApiProperty() entryId: string;
  @ApiProperty({ type: String, nullable: true, description: "The owner's subscription; null for guests" })
  subscriptionId: string | null;
  @ApiProperty({ example: 'owner' }) role: string;
  @ApiProperty() peerId: string;
}

class SessionEntryLinksDto {
  @ApiProperty({ type: HalLinkDto }) org: HalLinkDto;
  @ApiProperty({ type: HalLinkDto, description: 'The entries of the same session' }) self: HalLinkDto;
  @ApiPropertyOptional({ type: HalLinkDto, description: 'The API key; only with a clientId' })
  client?: HalLinkDto;
  @ApiPropertyOptional({ type: HalLinkDto, description: 'Only with a subscriptionId' })
  subscription?: HalLinkDto;
}

export class SessionEntryResourceDto {
  @ApiProperty({ type: SessionEntryContentDto }) content: SessionEntryContentDto;
  @ApiProperty({ type: SessionEntryLinksDto }) _links: SessionEntryLinksDto;
}

export class SessionEntryPageDto {
  @ApiProperty({ type: [SessionEntryResourceDto] }) content: SessionEntryResourceDto[];
  @ApiProperty({ type: PageLinksDto }) _links: PageLinksDto;
}

export function sessionEntryResource(row: SessionEntryEntity): SessionEntryResourceDto {
  return {
    content: {
      name: row.name,
      accessToken: null,
      accessTokenSha256: row.accessTokenSha256,
      clientId: row.clientId,
      sessionId: row.sessionId,
      orgId: row.orgId,
      entryTime: row.entryTime.getTime(),
      entryId: row.entryId,
      subscriptionId: row.subscriptionId,
      role: row.role,
      peerId: row.peerId,
    },
    _links: {
      org: { href: coviuPaths.org(row.orgId) },
      self: { href: coviuPaths.session(row.orgId, row.sessionId) },
      ...(row.clientId ? { client: { href: coviuPaths.client(row.orgId, row.clientId) } } : {}),
      ...(row.subscriptionId
        ? { subscription: { href: coviuPaths.subscription(row.orgId, row.subscriptionId) } }
        : {}),
    },
  };
}
