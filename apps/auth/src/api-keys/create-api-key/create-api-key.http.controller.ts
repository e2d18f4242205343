import { Body, Controller, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { apiKeyResource, CreatedApiKeyResource } from '../api-key.representation';
import { CreateApiKey } from './create-api-key.service';
import { CreateApiKeyRequestDto } from './create-api-key.request.dto';

@ApiTags('api keys')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/api-keys')
@UseGuards(AccessTokenGuard)
export class CreateApiKeyHttpController {
  constructor(private readonly createApiKey: CreateApiKey) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; its secret is in this response only' })
  @ApiCreatedResponse({ type: CreatedApiKeyResource })
  @ApiErrors(400, 401, 403, 429)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Body() body: CreateApiKeyRequestDto,
  ): Promise<CreatedApiKeyResource> {
    assertOrgAccess(principal, orgId);
    const created = await this.createApiKey.execute(orgId, body.name ?? null);
    const resource = apiKeyResource(created.key);
    return { ...resource, content: { ...resource.content, apiKeySecret: created.secret } };
  }
}
