import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { JOIN_GRANT_KEYS_PATH } from '@confer/contracts';
import { JoinGrantKeys } from './join-grant-keys';

class GrantJwk {
  @ApiProperty({ example: 'OKP' }) kty: string;
  @ApiProperty({ example: 'Ed25519' }) crv: string;
  @ApiProperty({ description: 'The public key (base64url)' }) x: string;
  @ApiProperty({ example: 'gk_3yN0Qm2cW7aVbK1d' }) kid: string;
  @ApiProperty({ example: 'EdDSA' }) alg: string;
  @ApiProperty({ example: 'sig' }) use: string;
}

class GrantJwksDocument {
  @ApiProperty({ type: [GrantJwk] }) keys: GrantJwk[];
}

@ApiTags('joins')
@Controller(JOIN_GRANT_KEYS_PATH.replace(/^\//, ''))
export class JoinGrantKeysHttpController {
  constructor(private readonly keys: JoinGrantKeys) {}

  @Get()
  // Short: a replica that starts lists its key and signs with it at once, and the media
  // service fetches again on a key id it does not know.
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({
    summary: 'The public keys join grants are signed with (JWKS, EdDSA)',
    description:
      'Each rooms replica signs grants with a key pair of its own; the media service verifies them against this set. Only join grants (audience confer:join-grant) are signed with these keys.',
  })
  @ApiOkResponse({ type: GrantJwksDocument })
  list(): Promise<GrantJwksDocument> {
    return this.keys.jwks() as Promise<GrantJwksDocument>;
  }
}
