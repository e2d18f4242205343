import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandServer } from '@confer/bus';
import { VerifyParticipantToken } from '@confer/contracts';
import { ParticipantTokenVerifier } from './participant-token.verifier';

/** NATS entry point of `confer.cmd.auth.participant-token.verify`: every service checks tokens here. */
@Injectable()
export class ParticipantTokenMessageController implements OnApplicationBootstrap {
  constructor(
    @Inject(CommandServer) private readonly commandServer: Pick<CommandServer, 'handle'>,
    @Inject(ParticipantTokenVerifier) private readonly verifier: ParticipantTokenVerifier,
  ) {}

  onApplicationBootstrap(): void {
    this.commandServer.handle(VerifyParticipantToken, (request) => this.verifier.verify(request));
  }
}
