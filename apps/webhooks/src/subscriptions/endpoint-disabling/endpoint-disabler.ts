import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { buildEvent, WebhookEndpointDisabled } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../../config/webhooks.config';
import { dropOrphanedDeliveries } from '../subscriptions.store';

export type DisableReason = { kind: 'gone' } | { kind: 'failing'; since: Date };

/**
 * Disables the subscriptions behind an endpoint and announces it: one
 * `webhook-endpoint.disabled` event per organisation, written through the outbox in the
 * transaction that disables, so the change and its event commit together.
 */
@Injectable()
export class EndpointDisabler {
  readonly #logger = new Logger(EndpointDisabler.name);

  constructor(
    private readonly db: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  /**
   * A failed attempt at an event endpoint: remembers since when it fails (a success since
   * then starts the count again) and disables it once that is longer than
   * WEBHOOK_DISABLE_AFTER_FAILING_SECONDS.
   */
  async failed(target: string): Promise<void> {
    const [{ failing_since: since, disable }] = (await this.db.query(
      `INSERT INTO endpoint_health AS h (target, failing_since) VALUES ($1, now())
       ON CONFLICT (target) DO UPDATE SET failing_since = CASE
         WHEN (SELECT max(delivered_at) FROM deliveries
                WHERE target = $1 AND status = 'delivered') > h.failing_since THEN now()
         ELSE h.failing_since END
       RETURNING failing_since, failing_since <= now() - ($2 || ' seconds')::interval AS disable`,
      [target, String(this.config.WEBHOOK_DISABLE_AFTER_FAILING_SECONDS)],
    )) as Array<{ failing_since: Date; disable: boolean }>;
    if (disable)
      await this.db.transaction((tx) => this.disable(tx, target, null, { kind: 'failing', since }));
  }

  /**
   * Disables the active subscriptions to `target` (only those in `ids` when given), drops
   * the deliveries nobody wants any more and writes the events, all in `tx`.
   */
  async disable(
    tx: EntityManager,
    target: string,
    ids: readonly string[] | null,
    reason: DisableReason,
  ): Promise<void> {
    const text =
      reason.kind === 'gone'
        ? 'the endpoint answered 410 Gone'
        : `the endpoint failed every attempt since ${reason.since.toISOString()}`;
    const [rows] = (await tx.query(
      `UPDATE subscriptions SET status = 'disabled', disabled_reason = $3, updated_at = now()
        WHERE endpoint = $1 AND status = 'active' AND ($2::uuid[] IS NULL OR id = ANY($2))
        RETURNING id, org_id`,
      [target, ids, text],
    )) as [Array<{ id: string; org_id: string }>, number];
    await tx.query(`DELETE FROM endpoint_health WHERE target = $1`, [target]);
    if (rows.length === 0) return;
    await dropOrphanedDeliveries(tx, 'subscription disabled');
    const byOrg = new Map<string, string[]>();
    for (const row of rows) byOrg.set(row.org_id, [...(byOrg.get(row.org_id) ?? []), row.id]);
    const disabledAt = new Date().toISOString();
    for (const [orgId, subscriptionIds] of byOrg) {
      await this.outbox.add(
        tx,
        WebhookEndpointDisabled,
        buildEvent(WebhookEndpointDisabled, {
          source: '/confer/webhooks',
          orgId,
          subject: `webhooks/endpoints/${encodeURIComponent(target)}`,
          data: {
            endpoint: target,
            subscriptionIds,
            reason: reason.kind,
            ...(reason.kind === 'failing' ? { failingSince: reason.since.toISOString() } : {}),
            disabledAt,
          },
        }),
      );
      this.#logger.warn({ msg: 'endpoint disabled', orgId, endpoint: target, reason: reason.kind });
    }
  }
}
