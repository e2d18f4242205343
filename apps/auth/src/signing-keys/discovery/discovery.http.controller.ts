import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { apiAudienceOf, AUTH_CONFIG, AuthConfig, issuerOf } from '../../config/auth.config';
import { JWKS_MAX_AGE_SECONDS, SigningKeys } from '../signing-keys.service';

class Jwk {
  @ApiProperty({ example: 'RSA' }) kty: string;
  @ApiProperty() kid: string;
  @ApiProperty({ example: 'RS256' }) alg: string;
  @ApiProperty({ example: 'sig' }) use: string;
  @ApiProperty() n: string;
  @ApiProperty({ example: 'AQAB' }) e: string;
}

class JwksDocument {
  @ApiProperty({ type: [Jwk] }) keys: Jwk[];
}

class OpenIdConfiguration {
  @ApiProperty() issuer: string;
  @ApiProperty() jwks_uri: string;
  @ApiProperty() token_endpoint: string;
  @ApiProperty({ type: [String] }) grant_types_supported: string[];
  @ApiProperty({ type: [String] }) token_endpoint_auth_methods_supported: string[];
  @ApiProperty({ type: [String] }) id_token_signing_alg_values_supported: string[];
  @ApiProperty({ type: [String] }) response_types_supported: string[];
  @ApiProperty({ type: [String] }) subject_types_supported: string[];
  @ApiProperty({ type: [String] }) scopes_supported: string[];
  @ApiProperty({ description: 'The audience of access tokens' }) audience: string;
}

/** Where verifiers (our services, integrators checking webhook JWTs) find our public keys. */
@ApiTags('discovery')
@Controller('.well-known')
export class DiscoveryHttpController {
  constructor(
    private readonly signingKeys: SigningKeys,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  @Get('openid-configuration')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'OpenID Provider metadata (RFC 8414)' })
  @ApiOkResponse({ type: OpenIdConfiguration })
  openIdConfiguration(): OpenIdConfiguration {
    const issuer = issuerOf(this.config);
    return {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${issuer}/v1/auth/token`,
      grant_types_supported: ['client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      scopes_supported: ['confer-api'],
      audience: apiAudienceOf(this.config),
    };
  }

  @Get('jwks.json')
  // Short enough that a verifier sees a new `next` key long before it signs.
  @Header('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
  @ApiOperation({ summary: 'The public keys that sign access tokens, participant tokens and webhooks' })
  @ApiOkResponse({ type: JwksDocument })
  jwks(): Promise<JwksDocument> {
    return this.signingKeys.jwks() as Promise<JwksDocument>;
  }
}
