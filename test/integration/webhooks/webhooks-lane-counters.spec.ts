import { randomUUID } from 'crypto';
import { RunningWebhooksService, startWebhooksService } from '../../support/webhooks-service.harness';
import { eventually, startWebhooksFixture, WebhooksFixture } from './webhooks-fixture';

const TARGET = 'http://127.0.0.1:9/counters';

/**
 * Every endpoint and room that ever received a delivery has a sequence counter. Those of
 * rooms silent to their endpoint for longer than the log retention, with nothing held or
 * pending, are pruned; the others stay, whatever their age.
 */
describe('webhooks: sequence counters of idle lanes', () => {
  let f: WebhooksFixture;
  let w: RunningWebhooksService;

  beforeAll(async () => {
    f = await startWebhooksFixture();
    w = await startWebhooksService(f.auth, {
      WEBHOOK_LOG_RETENTION_SECONDS: '600',
      WEBHOOK_PRUNE_INTERVAL_MS: '100',
    });
  });
  afterAll(async () => {
    await w?.close();
    await f?.close();
  });

  const counter = (lane: string, lastSeq: number, idle: string) =>
    w.db.query(
      `INSERT INTO lane_sequences (target, lane, last_seq, updated_at) VALUES ($1, $2, $3, now() - $4::interval)`,
      [TARGET, lane, lastSeq, idle],
    );
  const lanes = async () =>
    (
      (await w.db.query(`SELECT lane FROM lane_sequences WHERE target = $1 ORDER BY lane`, [
        TARGET,
      ])) as Array<{
        lane: string;
      }>
    ).map((r) => r.lane);

  it('prunes the counters of long-idle lanes with nothing waiting, and keeps the rest', async () => {
    await counter('idle', 57, '1 hour');
    await counter('idle-but-pending', 3, '1 hour');
    await counter('recent', 2, '1 minute');
    // A delivery still waiting for a retry holds its lane's counter, however old.
    const { id } = await f.subscribe(w.baseUrl, { url: TARGET, roomId: 'idle-but-pending' });
    await w.db.query(
      `INSERT INTO deliveries (event_id, event_type, target, kind, org_id, lane, stream_seq, status, seq,
                               subscription_ids, next_attempt_at)
       VALUES ($1, 'peer.joined', $2, 'event', $3, 'idle-but-pending', 1, 'pending', 3, $4::uuid[],
               now() + interval '1 hour')`,
      [randomUUID(), TARGET, f.org.orgId, [id]],
    );
    await eventually(async () => !(await lanes()).includes('idle'), 5000);
    expect(await lanes()).toEqual(['idle-but-pending', 'recent']);
  });
});
