import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { OrganisationEntity } from '../organisation.entity';
import { AuthErrors } from '../../auth.errors';
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
  @ApiProperty({ type: HalLink }) tokens: HalLink;
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
  constructor(
    @InjectRepository(OrganisationEntity) private readonly organisations: Repository<OrganisationEntity>,
  ) {}

  @Get(':orgId')
  @ApiOperation({ summary: "The caller's organisation" })
  @ApiOkResponse({ type: OrganisationResource })
  @ApiErrors(401, 403, 404, 429)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
  ): Promise<OrganisationResource> {
    assertOrgAccess(principal, orgId);
    const org = await this.organisations.findOneBy({ id: orgId });
    if (!org) throw AuthErrors.organisationNotFound(orgId);
    const base = `/v1/orgs/${org.id}`;
    return {
      content: {
        orgId: org.id,
        name: org.name,
        rateLimitPerSecond: principal.rateLimitPerSecond,
        created: org.createdAt.getTime(),
      },
      _links: {
        self: { href: base },
        apiKeys: { href: `${base}/api-keys` },
        publicKeys: { href: `${base}/public-keys` },
        tokens: { href: '/v1/tokens' },
      },
    };
  }
}
