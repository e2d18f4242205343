import { DynamicModule, Module } from '@nestjs/common';
import { BusModule } from '@confer/bus';
import { OutboxModule } from '@confer/outbox';
import { DatabaseModule } from '@confer/database';
import { AuthConfig, AUTH_CONFIG } from '../config/auth.config';
import { SecretBox } from '../crypto/secret-box';
import { authDatabaseOptions } from '../database/auth-database';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AccessModule } from '../access/access.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';

/** What the operator CLI needs: the use cases, without HTTP. */
@Module({})
export class CliModule {
  static forConfig(config: AuthConfig): DynamicModule {
    return {
      module: CliModule,
      global: true,
      imports: [
        DatabaseModule.forRoot({
          ...authDatabaseOptions(config.DATABASE_URL, config.AUTH_DB_SCHEMA),
          poolSize: 2,
        }),
        BusModule.forRoot({ service: 'auth-cli', url: config.NATS_URL }),
        OutboxModule.forRoot(),
        SigningKeysModule,
        // The use-case modules carry their HTTP controllers, whose guard needs these.
        AccessModule,
        OrganisationsModule,
      ],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: SecretBox, useValue: new SecretBox(config.SECRET_ENCRYPTION_KEY) },
      ],
      exports: [AUTH_CONFIG, SecretBox],
    };
  }
}
