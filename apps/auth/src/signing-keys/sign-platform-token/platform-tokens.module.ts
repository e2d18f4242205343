import { Module } from '@nestjs/common';
import { SigningKeysModule } from '../signing-keys.module';
import { SignPlatformTokenService } from './sign-platform-token.service';
import { SignPlatformTokenMessageController } from './sign-platform-token.message.controller';

const messageControllers = [SignPlatformTokenMessageController];

/** Signing for other services, over NATS. Only the running service imports it (not the CLI). */
@Module({
  imports: [SigningKeysModule],
  providers: [SignPlatformTokenService, ...messageControllers],
  exports: [SignPlatformTokenService],
})
export class PlatformTokensModule {}
