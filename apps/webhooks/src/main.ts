import './tracing';
import { bootstrapHttpService, runClustered } from '@confer/http';
import { loadWebhooksConfig } from './config/webhooks.config';
import { WebhooksModule } from './webhooks.module';

async function main(): Promise<void> {
  const config = loadWebhooksConfig();
  await runClustered(config.WEBHOOKS_WORKERS, () =>
    bootstrapHttpService(WebhooksModule.forConfig(config), {
      serviceName: 'webhooks',
      port: config.WEBHOOKS_PORT,
      title: 'Confer webhooks API',
      description: 'Webhook subscriptions, signed deliveries and their log.',
      version: '1.0.0',
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    JSON.stringify({ level: 'fatal', service: 'webhooks', msg: 'start-up failed', error: String(error) }) +
      '\n',
  );
  process.exit(1);
});
