import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { CommandClient } from '@confer/bus';
import { AccessTokenGuard, RequestWithPrincipal } from '@confer/auth-client';
import { ModeratingRoles, VerifyParticipantToken } from '@confer/contracts';
import { RecordingErrors } from '../recording.errors';

/** Who starts or stops a recording: the organisation's server API, or a moderator in the room. */
export interface RecordingActor {
  orgId: string;
  kind: 'api' | 'moderator';
  /** The API key id, or the moderator's peer id. */
  by: string;
}

/** What the caller presented: the principal of a Bearer access token, or a participant token from the body. */
export interface RecordingCredentials {
  principal?: RequestWithPrincipal['principal'];
  participantToken?: string;
}

/** Lets a Bearer access token through AccessTokenGuard when one is sent; others present a participant token. */
@Injectable()
export class RecordingCredentialsGuard implements CanActivate {
  constructor(private readonly accessTokens: AccessTokenGuard) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    return request.headers.authorization ? this.accessTokens.canActivate(context) : true;
  }
}

export const CurrentRecordingCredentials = createParamDecorator(
  (_: unknown, context: ExecutionContext): RecordingCredentials => {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    if (request.principal) return { principal: request.principal };
    const token = (request.body as { token?: unknown } | undefined)?.token;
    return typeof token === 'string' && token.length > 0 ? { participantToken: token } : {};
  },
);

/** Resolves credentials to an actor allowed to record `roomId`, or the catalogued refusal. */
@Injectable()
export class RecordingActors {
  constructor(private readonly commands: CommandClient) {}

  async resolve(credentials: RecordingCredentials, roomId: string, orgId?: string): Promise<RecordingActor> {
    if (credentials.principal) {
      const { orgId: own, clientId } = credentials.principal;
      if (orgId && orgId !== own) throw RecordingErrors.recordingNotFound();
      return { orgId: own, kind: 'api', by: clientId };
    }
    if (!credentials.participantToken) throw RecordingErrors.credentialsRequired();
    const answer = await this.commands.request(
      VerifyParticipantToken,
      { token: credentials.participantToken, roomId, ...(orgId ? { orgId } : {}) },
      { timeoutMs: 2000 },
    );
    // Acting on a recording (orgId given) with a token of another organisation: as if it did not exist.
    if (orgId && !answer.valid && answer.reason === 'wrong_audience')
      throw RecordingErrors.recordingNotFound();
    if (!answer.valid)
      throw RecordingErrors.tokenRefused(
        { reason: answer.reason },
        { message: `The participant token was refused: ${answer.message}` },
      );
    const { participant } = answer;
    if (!ModeratingRoles.includes(participant.role))
      throw RecordingErrors.moderatorRequired({ role: participant.role });
    if (participant.attributes.canRecord !== true) throw RecordingErrors.canRecordRequired();
    return { orgId: participant.orgId, kind: 'moderator', by: participant.identity ?? participant.role };
  }
}
