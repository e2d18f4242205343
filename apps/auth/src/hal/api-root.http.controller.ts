import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { HalLink } from '../api-keys/api-key.representation';

class ApiRootContent {
  @ApiProperty() active: boolean;
  @ApiProperty() orgId: string;
  @ApiProperty({ description: 'The API key the access token was issued to' }) clientId: string;
}

class ApiRootLinks {
  @ApiProperty({ type: HalLink }) self: HalLink;
  @ApiProperty({ type: HalLink }) org: HalLink;
  @ApiProperty({ type: HalLink }) apiKeys: HalLink;
  @ApiProperty({ type: HalLink }) publicKeys: HalLink;
  @ApiProperty({ type: HalLink, description: 'Session entries (served by the rooms service)' })
  sessions: HalLink;
  @ApiProperty({ type: HalLink, description: 'Host subscriptions (served by the rooms service)' })
  subscriptions: HalLink;
  @ApiProperty({ type: HalLink, description: 'Rooms (served by the rooms service)' }) rooms: HalLink;
}

class ApiRoot {
  @ApiProperty({ type: ApiRootContent }) content: ApiRootContent;
  @ApiProperty({ type: ApiRootLinks }) _links: ApiRootLinks;
}

/** The HAL entry point: an integrator starts here and follows links instead of building paths. */
@ApiTags('api root')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(AccessTokenGuard)
export class ApiRootHttpController {
  @Get()
  @ApiOperation({ summary: 'The API root: who you are and where your resources are' })
  @ApiOkResponse({ type: ApiRoot })
  @ApiErrors(401, 429)
  root(@CurrentPrincipal() principal: Principal): ApiRoot {
    const org = `/v1/orgs/${principal.orgId}`;
    return {
      content: { active: true, orgId: principal.orgId, clientId: principal.clientId },
      _links: {
        self: { href: '/v1' },
        org: { href: org },
        apiKeys: { href: `${org}/api-keys` },
        publicKeys: { href: `${org}/public-keys` },
        // Resolved through the public base URL, where the gateway routes them to rooms.
        sessions: { href: `${org}/sessions` },
        subscriptions: { href: `${org}/subscriptions` },
        rooms: { href: '/v1/rooms' },
      },
    };
  }
}
