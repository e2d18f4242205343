import { Body, Controller, Headers, HttpCode, Post, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiBasicAuth,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { IssueToken } from './issue-token.service';
import { OAuthErrorFilter } from './oauth-error.filter';
import { OAuthErrorDto, TokenRequestDto, TokenResponseDto } from './token.request.dto';

@ApiTags('oauth')
@Controller('v1/auth')
@UseFilters(OAuthErrorFilter)
export class TokenHttpController {
  constructor(private readonly issueToken: IssueToken) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'OAuth2 token endpoint (client_credentials, refresh_token)',
    description:
      'Authenticate with HTTP Basic api_key:api_key_secret (or client_id/client_secret in the form). Refresh tokens are single-use; replaying one revokes its family.',
  })
  @ApiBasicAuth()
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({
    type: OAuthErrorDto,
    description: 'invalid_request, invalid_grant, unsupported_grant_type, invalid_scope',
  })
  @ApiUnauthorizedResponse({
    type: OAuthErrorDto,
    description: 'invalid_client (with WWW-Authenticate: Basic)',
  })
  @ApiTooManyRequestsResponse({ type: OAuthErrorDto, description: 'Rate limit exceeded (with Retry-After)' })
  async token(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenResponseDto> {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    const form =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
    return this.issueToken.execute(authorization, form);
  }
}
