import { DynamicModule, Global, Module } from '@nestjs/common';
import { BusModule } from '@confer/bus';
import { OutboxModule } from '@confer/outbox';
import { DatabaseModule } from '@confer/database';
import { TelemetryModule } from '@confer/telemetry';
import { HttpLifecycleModule } from '@confer/http';
import { AUTH_CONFIG, AuthConfig } from './config/auth.config';
import { SecretBox } from './crypto/secret-box';
import { authDatabaseOptions } from './database/auth-database';
import { AccessModule } from './access/access.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { OAuthModule } from './oauth/oauth.module';
import { SigningKeysModule } from './signing-keys/signing-keys.module';
import { ApiRootHttpController } from './hal/api-root.http.controller';
import { ParticipantTokensModule } from './participant-tokens/participant-tokens.module';
import { PlatformTokensModule } from './signing-keys/sign-platform-token/platform-tokens.module';

/** Configuration and the secret box, available to every module of the service. */
@Global()
@Module({})
class AuthCoreModule {
  static forConfig(config: AuthConfig): DynamicModule {
    return {
      module: AuthCoreModule,
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: SecretBox, useValue: new SecretBox(config.SECRET_ENCRYPTION_KEY) },
      ],
      exports: [AUTH_CONFIG, SecretBox],
    };
  }
}

/** The auth service: organisations, API keys, OAuth2 tokens, signing keys and participant tokens. */
@Module({})
export class AuthModule {
  static forConfig(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        AuthCoreModule.forConfig(config),
        TelemetryModule,
        HttpLifecycleModule,
        DatabaseModule.forRoot(authDatabaseOptions(config.DATABASE_URL, config.AUTH_DB_SCHEMA)),
        BusModule.forRoot({ service: 'auth', url: config.NATS_URL }),
        OutboxModule.forRoot(),
        AccessModule,
        SigningKeysModule,
        ApiKeysModule,
        OrganisationsModule,
        OAuthModule,
        ParticipantTokensModule,
        PlatformTokensModule,
      ],
      controllers: [ApiRootHttpController],
    };
  }
}
