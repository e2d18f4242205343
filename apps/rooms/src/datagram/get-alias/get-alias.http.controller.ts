import { Controller, Get, Headers, Param, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { RoomErrors } from '../../rooms.errors';
import { AliasResponse } from '../alias.response.dto';
import { DatagramErrorFilter, DatagramErrorResponse } from '../datagram-error.filter';
import { GetAlias } from './get-alias.service';

/** `Bearer <jwt>`; Datagram's own example omits the space, so it is optional. */
const BEARER = /^Bearer\s*([A-Za-z0-9._~+/=-]+)\s*$/i;

@ApiTags('datagram aliases')
@Controller('api/v1/alias')
@UseFilters(DatagramErrorFilter)
export class GetAliasHttpController {
  constructor(private readonly getAlias: GetAlias) {}

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Read an alias with a token signed by its jwt_secret',
    description:
      'Authorization: Bearer <alias token>. The token must be valid, unexpired (expires_in from iat, and the alias expiry) and name this alias in its `alias` claim. jwt_secret is always null here; stream_key is answered to a host token only.',
  })
  @ApiOkResponse({ type: AliasResponse })
  @ApiResponse({
    status: 401,
    type: DatagramErrorResponse,
    description:
      'Missing, invalid or expired token, or a token of another alias: {"error":{"message":"UNAUTHORIZED"}}',
  })
  @ApiResponse({
    status: 404,
    type: DatagramErrorResponse,
    description: '{"error":{"message":"Alias not found"}}',
  })
  @ApiErrors(RoomErrors.authUnavailable)
  async get(
    @Param('id') id: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<AliasResponse> {
    const bearer = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    return { data: await this.getAlias.execute(id, bearer) };
  }
}
