import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiProperty } from '@nestjs/swagger';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { ListApiKeys } from './list-api-keys.service';
import { apiKeyResource, ApiKeyResource, HalLink } from '../api-key.representation';
import { ApiErrors, HalPage, halPage, PageQueryDto } from '@confer/http';

class PageLinks {
  @ApiProperty({ type: HalLink }) self: HalLink;
  @ApiProperty({ type: HalLink, required: false }) next?: HalLink;
  @ApiProperty({ type: HalLink, required: false }) previous?: HalLink;
}

class ApiKeyPage {
  @ApiProperty({ type: [ApiKeyResource] }) content: ApiKeyResource[];
  @ApiProperty({ type: PageLinks }) _links: PageLinks;
}

@ApiTags('api keys')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/api-keys')
@UseGuards(AccessTokenGuard)
export class ListApiKeysHttpController {
  constructor(private readonly listApiKeys: ListApiKeys) {}

  @Get()
  @ApiOperation({ summary: 'List API keys, newest first (never their secrets)' })
  @ApiOkResponse({ type: ApiKeyPage })
  @ApiErrors(400, 401, 403, 429)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Query() query: PageQueryDto,
  ): Promise<HalPage<ApiKeyResource>> {
    assertOrgAccess(principal, orgId);
    const { keys, total } = await this.listApiKeys.page(orgId, query.page ?? 0, query.count ?? 50);
    return halPage(`/v1/orgs/${orgId}/api-keys`, query, keys.map(apiKeyResource), total);
  }

  @Get(':keyId')
  @ApiOperation({ summary: 'Fetch one API key (never its secret)' })
  @ApiOkResponse({ type: ApiKeyResource })
  @ApiErrors(401, 403, 404, 429)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('keyId') keyId: string,
  ): Promise<ApiKeyResource> {
    assertOrgAccess(principal, orgId);
    return apiKeyResource(await this.listApiKeys.one(orgId, keyId));
  }
}
