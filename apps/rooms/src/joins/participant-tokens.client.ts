import { Injectable, Logger } from '@nestjs/common';
import { CommandClient, CommandFailed } from '@confer/bus';
import { VerifiedParticipant, VerifyParticipantToken } from '@confer/contracts';
import { RoomErrors } from '../rooms.errors';

/** Asks the auth service who a participant token admits, and turns a refusal into our error. */
@Injectable()
export class ParticipantTokensClient {
  readonly #logger = new Logger(ParticipantTokensClient.name);

  constructor(private readonly commands: CommandClient) {}

  async verify(request: {
    token: string;
    roomId: string;
    orgId?: string;
    peerId?: string;
  }): Promise<VerifiedParticipant> {
    let reply;
    try {
      reply = await this.commands.request(VerifyParticipantToken, request, { timeoutMs: 2000 });
    } catch (error) {
      if (error instanceof CommandFailed && error.code === 'invalid_request') {
        throw RoomErrors.tokenInvalid(
          { reason: 'malformed' },
          { message: 'The participant token is malformed' },
        );
      }
      this.#logger.error({
        msg: 'participant token verification unavailable',
        roomId: request.roomId,
        error: String(error),
      });
      throw RoomErrors.authUnavailable(undefined, { cause: error });
    }
    if (reply.valid) return reply.participant;
    if (reply.reason === 'wrong_room')
      throw RoomErrors.wrongRoom({ reason: reply.reason }, { message: reply.message });
    throw RoomErrors.tokenInvalid(
      { reason: reply.reason },
      { message: `The participant token was refused: ${reply.message}` },
    );
  }
}
