import { Controller, Get, Header, Param, Redirect } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { RoomErrors } from '../../rooms.errors';
import { OpenSessionLink } from './open-session-link.service';

@ApiTags('coviu sessions')
@Controller('v1/session')
export class SessionLinkHttpController {
  constructor(private readonly openSessionLink: OpenSessionLink) {}

  @Get(':jwt')
  @Redirect()
  // The Location carries the token: keep it out of caches and referrers.
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  @ApiOperation({
    summary: 'Open a Coviu session link',
    description:
      'Verifies the session link (HS256, signed with an API key secret; iss = that API key) for the session ' +
      'named by its sid. An owner (rle=owner) needs an active subscription for its ref, which may not be ' +
      'hosting another session at the same time; guests need none. Then redirects to the room page ' +
      '`/call/?roomId=<sid>&token=<jwt>`, whose client joins with the same token.',
  })
  @ApiParam({ name: 'jwt', description: 'The session link token' })
  @ApiFoundResponse({ description: 'Location: the room page, `/call/?roomId=<sid>&token=<jwt>`' })
  @ApiErrors(
    RoomErrors.invalidRoomId,
    RoomErrors.tokenInvalid,
    RoomErrors.wrongRoom,
    RoomErrors.subscriptionInactive,
    RoomErrors.subscriptionBusy,
    RoomErrors.authUnavailable,
  )
  async open(@Param('jwt') jwt: string): Promise<{ url: string; statusCode: number }> {
    const { url } = await this.openSessionLink.execute(jwt);
    return { url, statusCode: 302 };
  }
}
