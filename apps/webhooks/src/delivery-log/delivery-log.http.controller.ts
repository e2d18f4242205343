import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, assertOrgAccess, CurrentPrincipal, Principal } from '@confer/auth-client';
import { WebhookErrors } from '../webhooks.errors';
import { SubscriptionsStore } from '../subscriptions/subscriptions.store';
import { RedeliverSinceRequestDto } from '../subscriptions/native/subscription.dto';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { DeliveryRelease } from '../intake/release/delivery-release';

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  target: string;
  lane: string;
  seq: string | null;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** A delivery sent again keeps its number; one settled before it had any waits for the next. */
const AGAIN_STATUS = `CASE WHEN seq IS NULL THEN 'held' ELSE 'pending' END`;

/** What a delivery's status can be: held until numbered, then pending until settled. */
const DELIVERY_STATUSES = ['held', 'pending', 'delivered', 'failed', 'expired'];

export class DeliveryLogQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'Only deliveries in this status' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: string;
}

const deliveryDto = (r: DeliveryRow) => ({
  id: String(r.id),
  eventId: r.event_id,
  eventType: r.event_type,
  url: r.target,
  roomId: r.lane === '_' ? null : r.lane,
  // null while held: numbered once every earlier event of the stream is recorded.
  sequence: r.seq === null ? null : Number(r.seq),
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: r.created_at.toISOString(),
  deliveredAt: r.delivered_at ? r.delivered_at.toISOString() : null,
});

/** A subscription's delivery log, and redelivery of one delivery or of everything since a time. */
@ApiTags('webhook deliveries')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/webhooks/subscriptions/:subscriptionId')
@UseGuards(AccessTokenGuard)
@ApiErrors(400, 401, 403, 404, 429)
export class DeliveryLogHttpController {
  constructor(
    private readonly db: DataSource,
    private readonly subscriptions: SubscriptionsStore,
    private readonly wakeup: DeliveryWakeup,
    private readonly release: DeliveryRelease,
  ) {}

  @Get('deliveries')
  @ApiOperation({ summary: 'The latest deliveries of this subscription, newest first (at most 200)' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('subscriptionId') id: string,
    @Query() query: DeliveryLogQueryDto,
  ) {
    const status = query.status;
    await this.owned(principal, orgId, id);
    const rows = (await this.db.query(
      `SELECT * FROM deliveries WHERE $1 = ANY(subscription_ids) AND ($2::text IS NULL OR status = $2)
        ORDER BY id DESC LIMIT 200`,
      [id, status ?? null],
    )) as DeliveryRow[];
    return rows.map(deliveryDto);
  }

  @Post('deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send one delivery again (delivered or failed), with a fresh attempt budget' })
  @ApiErrors(WebhookErrors.deliveryNotFound)
  async redeliverOne(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('subscriptionId') id: string,
    @Param('deliveryId') deliveryId: string,
  ) {
    await this.owned(principal, orgId, id);
    if (!/^\d{1,18}$/.test(deliveryId)) throw WebhookErrors.deliveryNotFound({ deliveryId });
    const [rows] = (await this.db.query(
      `UPDATE deliveries SET status = ${AGAIN_STATUS}, attempts = 0, next_attempt_at = now(), leased_until = NULL,
              updated_at = now()
        WHERE id = $1 AND $2 = ANY(subscription_ids) AND status NOT IN ('pending', 'held') RETURNING *`,
      [deliveryId, id],
    )) as [DeliveryRow[], number];
    if (!rows[0]) {
      const existing = (await this.db.query(
        `SELECT * FROM deliveries WHERE id = $1 AND $2 = ANY(subscription_ids)`,
        [deliveryId, id],
      )) as DeliveryRow[];
      if (!existing[0]) throw WebhookErrors.deliveryNotFound({ deliveryId });
      return deliveryDto(existing[0]);
    }
    this.sendAgain();
    return deliveryDto(rows[0]);
  }

  @Post('redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send again every delivery of this subscription recorded since a time' })
  async redeliverSince(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Param('subscriptionId') id: string,
    @Body() body: RedeliverSinceRequestDto,
  ) {
    await this.owned(principal, orgId, id);
    const [, count] = (await this.db.query(
      `UPDATE deliveries SET status = ${AGAIN_STATUS}, attempts = 0, next_attempt_at = now(), leased_until = NULL,
              updated_at = now()
        WHERE $1 = ANY(subscription_ids) AND created_at >= $2 AND status NOT IN ('pending', 'held')`,
      [id, body.since],
    )) as [unknown, number];
    this.sendAgain();
    return { redelivering: count };
  }

  /** Numbered ones are due now; one never numbered (settled while held) is numbered first. */
  private sendAgain(): void {
    this.wakeup.wake();
    this.release.again();
  }

  private async owned(principal: Principal, orgId: string, id: string): Promise<void> {
    assertOrgAccess(principal, orgId);
    if (!(await this.subscriptions.get(orgId, id)))
      throw WebhookErrors.subscriptionNotFound({ subscriptionId: id });
  }
}
