import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, halPage, PageQueryDto } from '@confer/http';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { RoomErrors } from '../../rooms.errors';
import { coviuPaths } from '../coviu-links';
import { Subscriptions } from './subscriptions.service';
import {
  CreateSubscriptionRequestDto,
  subscriptionResource,
  SubscriptionPageDto,
  SubscriptionResourceDto,
} from './subscription.dto';

@ApiTags('coviu subscriptions')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/subscriptions')
@UseGuards(AccessTokenGuard)
@ApiErrors(400, 401, 403, 429)
export class SubscriptionsHttpController {
  constructor(private readonly subscriptions: Subscriptions) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a host subscription: the user named by ref may own sessions' })
  @ApiOkResponse({ type: SubscriptionResourceDto })
  @ApiErrors(RoomErrors.subscriptionExists)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Body() body: CreateSubscriptionRequestDto,
  ): Promise<SubscriptionResourceDto> {
    assertOrgAccess(principal, orgId);
    return subscriptionResource(await this.subscriptions.create(orgId, body));
  }

  @Get()
  @ApiOperation({
    summary: "The organisation's subscriptions, oldest first",
    description: 'Pages count from 0; `_links` has `next` and `previous` only where such a page exists.',
  })
  @ApiOkResponse({ type: SubscriptionPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Query() query: PageQueryDto,
  ): Promise<SubscriptionPageDto> {
    assertOrgAccess(principal, orgId);
    const { rows, total } = await this.subscriptions.page(orgId, query.page ?? 0, query.count ?? 50);
    return halPage(coviuPaths.subscriptions(orgId), query, rows.map(subscriptionResource), total);
  }

  @Get(':subscriptionId')
  @ApiOperation({ summary: 'One subscription' })
  @ApiOkResponse({ type: SubscriptionResourceDto })
  @ApiErrors(RoomErrors.subscriptionNotFound)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('subscriptionId') subscriptionId: string,
  ): Promise<SubscriptionResourceDto> {
    assertOrgAccess(principal, orgId);
    return subscriptionResource(await this.subscriptions.get(orgId, subscriptionId));
  }

  @Delete(':subscriptionId')
  @ApiOperation({
    summary: 'Remove a subscription: its user may no longer host sessions',
    description:
      'Answers the subscription with `active: false`. Owners in a session under it leave it now (peer.left, reason kicked; a room they leave empty ends) and cannot enter again; guests stay.',
  })
  @ApiOkResponse({ type: SubscriptionResourceDto })
  @ApiErrors(RoomErrors.subscriptionNotFound)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('subscriptionId') subscriptionId: string,
  ): Promise<SubscriptionResourceDto> {
    assertOrgAccess(principal, orgId);
    return subscriptionResource(await this.subscriptions.end(orgId, subscriptionId));
  }
}
