import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandServer } from '@confer/bus';
import { SignPlatformToken } from '@confer/contracts';
import { SignPlatformTokenService } from './sign-platform-token.service';

/** NATS entry point of `confer.cmd.auth.platform-token.sign`. */
@Injectable()
export class SignPlatformTokenMessageController implements OnApplicationBootstrap {
  constructor(
    private readonly commandServer: CommandServer,
    private readonly signer: SignPlatformTokenService,
  ) {}

  onApplicationBootstrap(): void {
    this.commandServer.handle(SignPlatformToken, (request) => this.signer.execute(request));
  }
}
