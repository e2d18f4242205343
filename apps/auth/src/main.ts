import './tracing';
import { bootstrapHttpService, runClustered } from '@confer/http';
import { loadAuthConfig } from './config/auth.config';
import { AuthModule } from './auth.module';

async function main(): Promise<void> {
  const config = loadAuthConfig();
  await runClustered(config.AUTH_WORKERS, () =>
    bootstrapHttpService(AuthModule.forConfig(config), {
      serviceName: 'auth',
      port: config.AUTH_PORT,
      title: 'Confer auth API',
      description: 'Organisations, API keys, OAuth2 access tokens, signing keys and participant tokens.',
      version: '1.0.0',
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    JSON.stringify({ level: 'fatal', service: 'auth', msg: 'start-up failed', error: String(error) }) + '\n',
  );
  process.exit(1);
});
