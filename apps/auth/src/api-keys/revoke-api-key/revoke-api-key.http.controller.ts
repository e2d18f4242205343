import { Controller, Delete, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { apiKeyResource, ApiKeyResource } from '../api-key.representation';
import { RevokeApiKey } from './revoke-api-key.service';

@ApiTags('api keys')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/api-keys')
@UseGuards(AccessTokenGuard)
export class RevokeApiKeyHttpController {
  constructor(private readonly revokeApiKey: RevokeApiKey) {}

  @Delete(':keyId')
  @ApiOperation({ summary: 'Revoke an API key (idempotent); the last live key cannot be revoked' })
  @ApiOkResponse({ type: ApiKeyResource })
  @ApiErrors(401, 403, 404, 409, 429)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('keyId') keyId: string,
  ): Promise<ApiKeyResource> {
    assertOrgAccess(principal, orgId);
    return apiKeyResource(await this.revokeApiKey.execute(orgId, keyId));
  }
}
