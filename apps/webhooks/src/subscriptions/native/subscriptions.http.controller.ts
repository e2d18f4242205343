import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { WebhookErrors } from '../../webhooks.errors';
import { newSigningSecret } from '../../delivery/standard-webhooks';
import { EndpointPolicy } from '../endpoint-policy';
import { SubscriptionsStore } from '../subscriptions.store';
import {
  CreateSubscriptionRequestDto,
  SubscriptionDto,
  subscriptionDto,
  UpdateSubscriptionRequestDto,
} from './subscription.dto';

/** Organisation-wide webhook subscriptions, optionally filtered by event type or room. */
@ApiTags('webhook subscriptions')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/webhooks/subscriptions')
@UseGuards(AccessTokenGuard)
@ApiErrors(400, 401, 403, 429)
export class SubscriptionsHttpController {
  constructor(
    private readonly subscriptions: SubscriptionsStore,
    private readonly endpoints: EndpointPolicy,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Subscribe an endpoint to the organisation’s events' })
  @ApiOkResponse({ type: SubscriptionDto })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Body() body: CreateSubscriptionRequestDto,
  ): Promise<SubscriptionDto> {
    assertOrgAccess(principal, orgId);
    const endpoint = await this.endpoints.assertAllowed(body.url, 'url');
    return subscriptionDto(
      await this.subscriptions.create({
        orgId,
        kind: 'native',
        roomId: body.roomId ?? null,
        endpoint,
        eventTypes: body.eventTypes ?? null,
        signingSecret: body.standardWebhooks ? newSigningSecret() : null,
        expiresAt: null,
      }),
    );
  }

  @Get()
  @ApiOperation({ summary: 'The organisation’s subscriptions, oldest first' })
  @ApiOkResponse({ type: [SubscriptionDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
  ): Promise<SubscriptionDto[]> {
    assertOrgAccess(principal, orgId);
    return (await this.subscriptions.list(orgId)).map(subscriptionDto);
  }

  @Get(':subscriptionId')
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiErrors(WebhookErrors.subscriptionNotFound)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('subscriptionId') id: string,
  ): Promise<SubscriptionDto> {
    assertOrgAccess(principal, orgId);
    const found = await this.subscriptions.get(orgId, id);
    if (!found) throw WebhookErrors.subscriptionNotFound({ subscriptionId: id });
    return subscriptionDto(found);
  }

  @Patch(':subscriptionId')
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiErrors(WebhookErrors.subscriptionNotFound)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('subscriptionId') id: string,
    @Body() body: UpdateSubscriptionRequestDto,
  ): Promise<SubscriptionDto> {
    assertOrgAccess(principal, orgId);
    const endpoint = body.url !== undefined ? await this.endpoints.assertAllowed(body.url, 'url') : undefined;
    const updated = await this.subscriptions.update(orgId, id, {
      endpoint,
      eventTypes: body.eventTypes,
      active: body.active,
    });
    if (!updated) throw WebhookErrors.subscriptionNotFound({ subscriptionId: id });
    return subscriptionDto(updated);
  }

  @Delete(':subscriptionId')
  @HttpCode(204)
  @ApiErrors(WebhookErrors.subscriptionNotFound)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('subscriptionId') id: string,
  ): Promise<void> {
    assertOrgAccess(principal, orgId);
    if (!(await this.subscriptions.delete(orgId, id)))
      throw WebhookErrors.subscriptionNotFound({ subscriptionId: id });
  }
}
