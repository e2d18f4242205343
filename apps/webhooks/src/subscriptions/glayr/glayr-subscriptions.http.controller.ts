import { Body, Controller, Delete, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { issuerOf, WEBHOOKS_CONFIG, WebhooksConfig } from '../../config/webhooks.config';
import { LiveConferences } from '../../conferences/live-conferences';
import { WebhookErrors } from '../../webhooks.errors';
import { EndpointPolicy } from '../endpoint-policy';
import { SubscriptionsStore } from '../subscriptions.store';
import { CurrentGlayrCaller, GlayrAuthorizationGuard, GlayrCaller } from './glayr-authorization.guard';
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
@ApiErrors(400, 401, 403, 404, 429, 503)
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
    description:
      'The conference id is its 8-digit conference number or its room id. Authorization: an access token ' +
      "of the organisation (client credentials), or a participant token of one of the conference's owners " +
      '(moderator, owner or host of its room), bare or as Bearer.',
  })
  @ApiErrors(WebhookErrors.notConferenceOwner)
  async subscribe(
    @CurrentGlayrCaller() caller: GlayrCaller,
    @Param('conferenceId') conferenceId: string,
    @Body() body: unknown,
  ): Promise<GlayrSubscribeAnswer> {
    const endpoint = await this.endpoints.assertAllowed(
      glayrSubscribeBody(body).api_endpoint,
      'api_endpoint',
    );
    const conference = await this.conferences.find(caller.orgId, conferenceId);
    if (!conference) throw WebhookErrors.conferenceNotFound({ conferenceId });
    if (caller.owner && caller.owner.roomId !== conference.roomId)
      throw WebhookErrors.notConferenceOwner({ conferenceId, reason: 'the token moderates another room' });
    const ttl = this.config.GLAYR_SUBSCRIPTION_TTL_SECONDS;
    const subscription = await this.subscriptions.create({
      orgId: caller.orgId,
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
  @ApiOperation({
    summary: 'Unsubscribe',
    description: "An owner may end the subscriptions to their own conference's room only.",
  })
  async unsubscribe(
    @CurrentGlayrCaller() caller: GlayrCaller,
    @Param('subscriptionId') subscriptionId: string,
  ): Promise<void> {
    if (caller.owner) {
      const found = await this.subscriptions.get(caller.orgId, subscriptionId);
      if (!found || found.kind !== 'glayr' || found.roomId !== caller.owner.roomId)
        throw WebhookErrors.subscriptionNotFound({ subscriptionId });
    }
    if (!(await this.subscriptions.delete(caller.orgId, subscriptionId)))
      throw WebhookErrors.subscriptionNotFound({ subscriptionId });
  }
}
