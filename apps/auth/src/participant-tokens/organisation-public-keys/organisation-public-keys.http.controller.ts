import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { halPage, PageQueryDto } from '@confer/http';
import { IdentifierParamPipe } from '../identifier-param.pipe';
import { ParticipantTokenErrors } from '../participant-token.errors';
import { OrganisationPublicKeys } from './organisation-public-keys.service';
import {
  OrganisationPublicKeyPageDto,
  organisationPublicKeyResponse,
  OrganisationPublicKeyResponseDto,
} from './organisation-public-key.response.dto';
import { RegisterPublicKeyRequestDto } from './register-public-key.request.dto';

const DEFAULT_PAGE_SIZE = 50;

@ApiTags('participant tokens')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/public-keys')
@UseGuards(AccessTokenGuard)
export class OrganisationPublicKeysHttpController {
  constructor(private readonly publicKeys: OrganisationPublicKeys) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Register an RSA public key for RS256 room tokens',
    description:
      'Sign room tokens with the matching private key and put the returned `id` in their `kid` header.',
  })
  @ApiCreatedResponse({ type: OrganisationPublicKeyResponseDto })
  @ApiErrors(400, ParticipantTokenErrors.invalidPublicKey, 401, 403, 429)
  async register(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId', IdentifierParamPipe) orgId: string,
    @Body() body: RegisterPublicKeyRequestDto,
  ): Promise<OrganisationPublicKeyResponseDto> {
    assertOrgAccess(principal, orgId);
    return organisationPublicKeyResponse(
      await this.publicKeys.register(orgId, body.publicKeyPem, body.name ?? null),
    );
  }

  @Get()
  @ApiOperation({ summary: 'List registered public keys, newest first, revoked ones included' })
  @ApiOkResponse({ type: OrganisationPublicKeyPageDto })
  @ApiErrors(400, 401, 403, 429)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId', IdentifierParamPipe) orgId: string,
    @Query() query: PageQueryDto,
  ): Promise<OrganisationPublicKeyPageDto> {
    assertOrgAccess(principal, orgId);
    const { rows, total } = await this.publicKeys.list(
      orgId,
      query.page ?? 0,
      query.count ?? DEFAULT_PAGE_SIZE,
    );
    return halPage(`/v1/orgs/${orgId}/public-keys`, query, rows.map(organisationPublicKeyResponse), total);
  }

  @Get(':keyId')
  @ApiOperation({ summary: 'Fetch one registered public key' })
  @ApiOkResponse({ type: OrganisationPublicKeyResponseDto })
  @ApiErrors(400, 401, 403, ParticipantTokenErrors.publicKeyNotFound, 429)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId', IdentifierParamPipe) orgId: string,
    @Param('keyId', IdentifierParamPipe) keyId: string,
  ): Promise<OrganisationPublicKeyResponseDto> {
    assertOrgAccess(principal, orgId);
    return organisationPublicKeyResponse(await this.publicKeys.get(orgId, keyId));
  }

  @Delete(':keyId')
  @ApiOperation({
    summary: 'Revoke a public key (idempotent); room tokens naming it are refused from now on',
  })
  @ApiOkResponse({ type: OrganisationPublicKeyResponseDto })
  @ApiErrors(400, 401, 403, ParticipantTokenErrors.publicKeyNotFound, 429)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId', IdentifierParamPipe) orgId: string,
    @Param('keyId', IdentifierParamPipe) keyId: string,
  ): Promise<OrganisationPublicKeyResponseDto> {
    assertOrgAccess(principal, orgId);
    return organisationPublicKeyResponse(await this.publicKeys.revoke(orgId, keyId));
  }
}
