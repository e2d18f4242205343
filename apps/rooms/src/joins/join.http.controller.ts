import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { DecideJoin, JoinGrant } from './decide-join.service';
import { JoinDeferral } from './join-hooks';
import { JoinRequestDto } from './join.request.dto';

@ApiTags('joins')
@Controller('v1/rooms/:roomId/joins')
export class JoinHttpController {
  constructor(private readonly decideJoin: DecideJoin) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Decide a join: admit with a grant, or refuse with a reason',
    description:
      "The body carries the participant token and the room link's URL attributes under their documented names. Token attributes win over URL ones; JWT-only attributes (role, canRecord, waitingRoom) are refused in the body.",
  })
  @ApiCreatedResponse({
    description: 'Admitted: the peer, its role and permissions, and the signed grant for the media service',
  })
  @ApiAcceptedResponse({ description: 'Held back, e.g. in the waiting room until a moderator decides' })
  @ApiErrors(400, 401, 403, 404, 423, 425, 503)
  async join(
    @Param('roomId') roomId: string,
    @Body() body: JoinRequestDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JoinGrant | JoinDeferral> {
    const outcome = await this.decideJoin.execute(roomId, body);
    // Held back (waiting room): accepted, not yet admitted.
    if (outcome.status === 'waiting') response.status(202);
    return outcome;
  }
}
