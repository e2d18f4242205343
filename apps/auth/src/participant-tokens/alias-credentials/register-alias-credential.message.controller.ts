import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandServer } from '@confer/bus';
import { RegisterAliasCredential } from '@confer/contracts';
import { AliasCredentials } from './alias-credentials.service';

/** NATS entry point of `confer.cmd.auth.alias-credential.register`. */
@Injectable()
export class RegisterAliasCredentialMessageController implements OnApplicationBootstrap {
  constructor(
    @Inject(CommandServer) private readonly commandServer: Pick<CommandServer, 'handle'>,
    @Inject(AliasCredentials) private readonly aliasCredentials: AliasCredentials,
  ) {}

  onApplicationBootstrap(): void {
    this.commandServer.handle(RegisterAliasCredential, (request) => this.aliasCredentials.register(request));
  }
}
