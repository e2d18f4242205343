import { Body, Controller, Delete, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { CurrentPrincipal, Principal } from '@confer/auth-client';
import { issuerOf, WEBHOOKS_CONFIG, WebhooksConfig } from '../../config/webhooks.config';
import { LiveConferences } from '../../conferences/live-conferences';
import { WebhookErrors } from '../../webhooks.errors';
import { EndpointPolicy } from '../endpoint-policy';
import { SubscriptionsStore } from '../subscriptions.store';
import { GlayrAuthorizationGuard } from './glayr-authorization.guard';
import { glayrSubscribeBody } from './glayr-subscribe-body';

export interface GlayrSubscribeAnswer {
  openid_configuration: string;
  expiry_seconds: number;
  id: string;
  conference_number: string;
}

/** Glayr's subscription API on our host: one live conference, for a limited time. */
@ApiTags('glayr subscriptions')
@Controller('v1')
@UseGuards(GlayrAuthorizationGuard)
@ApiErrors(400, 401, 404, 429)
export class GlayrSubscriptionsHttpController {
  constructor(
    private readonly subscriptions: SubscriptionsStore,
    private readonly conferences: LiveConferences,
    private readonly endpoints: EndpointPolicy,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  @Post('conf/:conferenceId/subscribe')
  @HttpCode(200)
  @ApiOperation({
    summary: "Subscribe an endpoint to a live conference's events",
    description: 'The conference id is its 8-digit conference number or its room id.',
  })
  async subscribe(
    @CurrentPrincipal() principal: Principal,
    @Param('conferenceId') conferenceId: string,
    @Body() body: unknown,
  ): Promise<GlayrSubscribeAnswer> {
    const endpoint = await this.endpoints.assertAllowed(
      glayrSubscribeBody(body).api_endpoint,
      'api_endpoint',
    );
    const conference = await this.conferences.find(principal.orgId, conferenceId);
    if (!conference) throw WebhookErrors.conferenceNotFound({ conferenceId });
    const ttl = this.config.GLAYR_SUBSCRIPTION_TTL_SECONDS;
    const subscription = await this.subscriptions.create({
      orgId: principal.orgId,
      kind: 'glayr',
      roomId: conference.roomId,
      endpoint,
      eventTypes: null,
      signingSecret: null,
      expiresAt: new Date(Date.now() + ttl * 1000),
    });
    return {
      openid_configuration: `${issuerOf(this.config)}/.well-known/openid-configuration`,
      expiry_seconds: ttl,
      id: subscription.id,
      conference_number: conference.conferenceNumber,
    };
  }

  @Delete('subscription/:subscriptionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe' })
  async unsubscribe(
    @CurrentPrincipal() principal: Principal,
    @Param('subscriptionId') subscriptionId: string,
  ): Promise<void> {
    if (!(await this.subscriptions.delete(principal.orgId, subscriptionId)))
      throw WebhookErrors.subscriptionNotFound({ subscriptionId });
  }
}
