import { Injectable } from '@nestjs/common';
import { CommandClient } from '@confer/bus';
import { SignPlatformToken } from '@confer/contracts';
import { RoomErrors } from '../rooms.errors';
import type { Permissions } from './roles';

export interface JoinGrantClaims {
  org: string;
  room: string;
  session: string;
  conferenceNumber: string;
  peer: string;
  connection: string;
  role: string;
  perms: Permissions;
  mediaServer: string;
  /** What the media service shows and enforces, put in only when known. */
  displayName?: string;
  /** An interpreter's language channel (Gcore's intLang). */
  intLang?: string;
  /** The room's limit on peers sending media at once. */
  maxBroadcasters?: number;
}

/**
 * The grant the media service checks before it carries a peer's media: signed by the
 * platform key (auth), verifiable against the published JWKS, audience
 * `confer:join-grant`, short-lived.
 */
@Injectable()
export class JoinGrantsClient {
  constructor(private readonly commands: CommandClient) {}

  async sign(claims: JoinGrantClaims, ttlSeconds: number): Promise<{ token: string; expiresAt: number }> {
    try {
      const reply = await this.commands.request(
        SignPlatformToken,
        { audience: 'confer:join-grant', subject: claims.peer, claims: { ...claims }, ttlSeconds },
        { timeoutMs: 2000 },
      );
      return { token: reply.token, expiresAt: reply.expiresAt };
    } catch (error) {
      throw RoomErrors.authUnavailable(undefined, {
        message: 'The join grant could not be signed; try again shortly',
        cause: error,
      });
    }
  }
}
