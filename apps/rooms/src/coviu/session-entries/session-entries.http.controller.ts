import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, halPage, PageQueryDto } from '@confer/http';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { RoomErrors } from '../../rooms.errors';
import { assertRoomId } from '../../rooms/room-id';
import { coviuPaths } from '../coviu-links';
import { SessionEntries } from './session-entries.service';
import { sessionEntryResource, SessionEntryPageDto } from './session-entry.dto';

@ApiTags('coviu sessions')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
@UseGuards(AccessTokenGuard)
@ApiErrors(400, 401, 403, 429)
export class SessionEntriesHttpController {
  constructor(private readonly entries: SessionEntries) {}

  /** Coviu documents `/session` for this list and links it as `/sessions`: both answer. */
  @Get(['sessions', 'session'])
  @ApiOperation({
    summary: 'Session entries: one per grant of access to a session, oldest first',
    description:
      'Pages count from 0. `/session` and `/sessions` are the same collection; links use `/sessions`. ' +
      'accessToken is always null (tokens are never stored); accessTokenSha256 identifies the token instead.',
  })
  @ApiOkResponse({ type: SessionEntryPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Query() query: PageQueryDto,
  ): Promise<SessionEntryPageDto> {
    assertOrgAccess(principal, orgId);
    const { rows, total } = await this.entries.page({ orgId }, query.page ?? 0, query.count ?? 50);
    return halPage(coviuPaths.sessions(orgId), query, rows.map(sessionEntryResource), total);
  }

  @Get(['sessions/:sessionId', 'session/:sessionId'])
  @ApiOperation({ summary: 'The entries of one session (room), oldest first' })
  @ApiOkResponse({ type: SessionEntryPageDto })
  @ApiErrors(RoomErrors.invalidRoomId)
  async listOfSession(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('sessionId') sessionId: string,
    @Query() query: PageQueryDto,
  ): Promise<SessionEntryPageDto> {
    assertOrgAccess(principal, orgId);
    assertRoomId(sessionId);
    const { rows, total } = await this.entries.page({ orgId, sessionId }, query.page ?? 0, query.count ?? 50);
    return halPage(coviuPaths.session(orgId, sessionId), query, rows.map(sessionEntryResource), total);
  }
}
