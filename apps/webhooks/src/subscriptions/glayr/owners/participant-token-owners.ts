import { Injectable } from '@nestjs/common';
import { CommandClient } from '@confer/bus';
import { VerifyParticipantToken } from '@confer/contracts';
import { AppError } from '@confer/http';
import { ConferenceOwners, MODERATING_ROLES, OwnerCheck } from './conference-owners.port';

/** Owners recognised by the auth service's participant-token verification over NATS. */
@Injectable()
export class ParticipantTokenOwners implements ConferenceOwners {
  constructor(private readonly commands: CommandClient) {}

  async check(token: string): Promise<OwnerCheck> {
    let reply;
    try {
      reply = await this.commands.request(VerifyParticipantToken, { token }, { timeoutMs: 2000 });
    } catch (error) {
      throw new AppError(
        'auth_unavailable',
        503,
        'participant tokens cannot be verified right now',
        undefined,
        {
          cause: error,
        },
      );
    }
    if (!reply.valid) return { kind: 'invalid' };
    const p = reply.participant;
    if (!MODERATING_ROLES.includes(p.role)) return { kind: 'refused', reason: 'not_moderating' };
    if (p.roomId === null) return { kind: 'refused', reason: 'no_room' };
    return { kind: 'owner', owner: { orgId: p.orgId, roomId: p.roomId, identity: p.identity, role: p.role } };
  }
}
