import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Documentation of the token request (the endpoint parses the form itself, to answer RFC 6749 errors). */
export class TokenRequestDto {
  @ApiProperty({ enum: ['client_credentials', 'refresh_token'] })
  grant_type: string;

  @ApiPropertyOptional({ description: 'Required with grant_type=refresh_token' })
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'Only "confer-api" is granted', example: 'confer-api' })
  scope?: string;

  @ApiPropertyOptional({ description: 'Instead of HTTP Basic: the API key' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'Instead of HTTP Basic: the API key secret' })
  client_secret?: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'RS256 JWT for Authorization: Bearer' })
  access_token: string;

  @ApiProperty({ description: 'Single-use; redeem with grant_type=refresh_token' })
  refresh_token: string;

  @ApiProperty({ description: 'Seconds until the access token expires', example: 3600 })
  expires_in: number;

  @ApiProperty({ example: 'Bearer' })
  token_type: 'Bearer';

  @ApiProperty({ example: 'confer-api' })
  scope: string;
}

export class OAuthErrorDto {
  @ApiProperty({
    enum: [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
    ],
  })
  error: string;

  @ApiProperty()
  error_description: string;
}
