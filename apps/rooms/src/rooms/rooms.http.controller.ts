import { Body, Controller, Get, Param, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, halPage, HalPage, PageQueryDto } from '@confer/http';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { assertRoomId } from './room-id';
import { RoomSettings } from './room-settings';
import { PrepareRoom } from './prepare-room/prepare-room.service';
import { GetRoom, RoomView } from './get-room/get-room.service';

@ApiTags('rooms')
@ApiBearerAuth()
@Controller('v1/rooms')
@UseGuards(AccessTokenGuard)
export class RoomsHttpController {
  constructor(
    private readonly prepareRoom: PrepareRoom,
    private readonly getRoom: GetRoom,
  ) {}

  @Put(':roomId')
  @ApiOperation({ summary: 'Prepare a room with settings ahead of its first participant, or change them' })
  @ApiOkResponse({ description: 'The room (201 when it was created)' })
  @ApiErrors(400, 401, 429)
  async prepare(
    @CurrentPrincipal() principal: Principal,
    @Param('roomId') roomId: string,
    @Body() settings: RoomSettings,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RoomView> {
    assertRoomId(roomId);
    const { created } = await this.prepareRoom.execute(principal.orgId, roomId, settings, principal.clientId);
    response.status(created ? 201 : 200);
    return this.getRoom.one(principal.orgId, roomId);
  }

  @Get(':roomId')
  @ApiOperation({ summary: 'A room: its settings, its links, and whether it is live now' })
  @ApiErrors(400, 401, 404, 429)
  get(@CurrentPrincipal() principal: Principal, @Param('roomId') roomId: string): Promise<RoomView> {
    assertRoomId(roomId);
    return this.getRoom.one(principal.orgId, roomId);
  }

  @Get()
  @ApiOperation({ summary: "The organisation's rooms, newest first" })
  @ApiErrors(400, 401, 429)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
  ): Promise<HalPage<RoomView>> {
    const { rooms, total } = await this.getRoom.page(principal.orgId, query.page ?? 0, query.count ?? 50);
    return halPage('/v1/rooms', query, rooms, total);
  }
}
