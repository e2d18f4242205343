import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiKeyEntity } from './api-key.entity';

export class HalLink {
  @ApiProperty({ example: '/v1/orgs/org_x' })
  href: string;
}

export class ApiKeyContent {
  @ApiProperty({
    description: 'The API key id (Basic-auth user name, `iss` of session tokens)',
    example: 'ak_4f…',
  })
  apiKey: string;

  @ApiProperty()
  orgId: string;

  @ApiPropertyOptional({ nullable: true })
  name: string | null;

  @ApiProperty({ description: 'epoch milliseconds' })
  created: number;

  @ApiPropertyOptional({ nullable: true, description: 'epoch milliseconds' })
  revoked: number | null;

  @ApiProperty()
  active: boolean;
}

export class ApiKeyLinks {
  @ApiProperty({ type: HalLink }) self: HalLink;
  @ApiProperty({ type: HalLink }) org: HalLink;
}

export class ApiKeyResource {
  @ApiProperty({ type: ApiKeyContent }) content: ApiKeyContent;
  @ApiProperty({ type: ApiKeyLinks }) _links: ApiKeyLinks;
}

export class CreatedApiKeyContent extends ApiKeyContent {
  @ApiProperty({ description: 'Shown only in this response; store it now' })
  apiKeySecret: string;
}

export class CreatedApiKeyResource {
  @ApiProperty({ type: CreatedApiKeyContent }) content: CreatedApiKeyContent;
  @ApiProperty({ type: ApiKeyLinks }) _links: ApiKeyLinks;
}

export function apiKeyResource(key: ApiKeyEntity): ApiKeyResource {
  return {
    content: {
      apiKey: key.id,
      orgId: key.orgId,
      name: key.name,
      created: key.createdAt.getTime(),
      revoked: key.revokedAt ? key.revokedAt.getTime() : null,
      active: key.revokedAt === null,
    },
    _links: {
      self: { href: `/v1/orgs/${key.orgId}/api-keys/${key.id}` },
      org: { href: `/v1/orgs/${key.orgId}` },
    },
  };
}
