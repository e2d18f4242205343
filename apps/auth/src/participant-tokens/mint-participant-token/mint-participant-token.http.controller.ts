import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { MintParticipantTokenRequestDto } from './mint-participant-token.request.dto';
import { MintedParticipantTokenResponseDto } from './minted-participant-token.response.dto';
import { ParticipantTokenMinter } from './participant-token.minter';

@ApiTags('participant tokens')
@ApiBearerAuth()
@Controller('v1/tokens')
@UseGuards(AccessTokenGuard)
export class MintParticipantTokenHttpController {
  constructor(private readonly minter: ParticipantTokenMinter) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Mint a participant token for one room of your organisation',
    description:
      'The token is an RS256 JWT (iss = this service, aud = confer:participant), verifiable against the published JWKS.',
  })
  @ApiCreatedResponse({ type: MintedParticipantTokenResponseDto })
  @ApiErrors(400, 401, 429)
  async mint(
    @CurrentPrincipal() principal: Principal,
    @Body() body: MintParticipantTokenRequestDto,
  ): Promise<MintedParticipantTokenResponseDto> {
    const { identity, token } = await this.minter.mint(principal.orgId, body);
    return { identity, token };
  }
}
