import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { GetOrganisation } from './get-organisation.service';
import { HalLink } from '../../api-keys/api-key.representation';

class OrganisationContent {
  @ApiProperty() orgId: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Requests per second allowed per credential' }) rateLimitPerSecond: number;
  @ApiPropertyOptional({ description: 'epoch milliseconds' }) created: number;
}

class OrganisationLinks {
  @ApiProperty({ type: HalLink }) self: HalLink;
  @ApiProperty({ type: HalLink }) apiKeys: HalLink;
  @ApiProperty({ type: HalLink }) publicKeys: HalLink;
}

class OrganisationResource {
  @ApiProperty({ type: OrganisationContent }) content: OrganisationContent;
  @ApiProperty({ type: OrganisationLinks }) _links: OrganisationLinks;
}

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('v1/orgs')
@UseGuards(AccessTokenGuard)
export class GetOrganisationHttpController {
  constructor(private readonly getOrganisation: GetOrganisation) {}

  @Get(':orgId')
  @ApiOperation({ summary: "The caller's organisation" })
  @ApiOkResponse({ type: OrganisationResource })
  @ApiErrors(401, 403, 404, 429)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
  ): Promise<OrganisationResource> {
    assertOrgAccess(principal, orgId);
    const { org, effectiveRateLimitPerSecond } = await this.getOrganisation.execute(orgId);
    const base = `/v1/orgs/${org.id}`;
    return {
      content: {
        orgId: org.id,
        name: org.name,
        rateLimitPerSecond: effectiveRateLimitPerSecond,
        created: org.createdAt.getTime(),
      },
      _links: {
        self: { href: base },
        apiKeys: { href: `${base}/api-keys` },
        publicKeys: { href: `${base}/public-keys` },
      },
    };
  }
}
