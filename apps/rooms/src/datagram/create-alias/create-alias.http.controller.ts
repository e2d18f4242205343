import { Body, Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { RoomErrors } from '../../rooms.errors';
import { CreatedAliasResponse } from '../alias.response.dto';
import { DatagramErrorFilter, DatagramErrorResponse } from '../datagram-error.filter';
import { CreateAlias } from './create-alias.service';
import { CreateAliasRequestDto } from './create-alias.request.dto';

@ApiTags('datagram aliases')
@ApiBearerAuth()
@Controller('organization/api/v1/alias')
@UseGuards(AccessTokenGuard)
@UseFilters(DatagramErrorFilter)
export class CreateAliasHttpController {
  constructor(private readonly createAlias: CreateAlias) {}

  @Post('create')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a private alias with its own jwt_secret',
    description:
      'The alias opens its own room (room id = alias id). Tokens signed with jwt_secret (HS256; claims alias, user_id, host, expires_in, iat) read the alias and join its room; host: true joins as host. The secret is handed to the auth service and echoed only in this answer.',
  })
  @ApiOkResponse({ type: CreatedAliasResponse })
  @ApiResponse({
    status: 401,
    type: DatagramErrorResponse,
    description: '{"error":{"message":"UNAUTHORIZED"}}',
  })
  @ApiErrors(400, 429, RoomErrors.authUnavailable)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateAliasRequestDto,
  ): Promise<CreatedAliasResponse> {
    return { data: await this.createAlias.execute(principal.orgId, body) };
  }
}
