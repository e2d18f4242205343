import { Inject, Injectable } from '@nestjs/common';
import { ReplyOf, VerifiedParticipant, VerifyParticipantToken } from '@confer/contracts';
import { AUTH_CONFIG, AuthConfig, issuerOf } from '../config/auth.config';
import { Clock } from './clock';
import { CoviuSessionTokenForm } from './forms/coviu-session-token';
import { ConferParticipantTokenForm } from './forms/confer-participant-token';
import { DatagramAliasTokenForm } from './forms/datagram-alias-token';
import { GcoreRoomTokenForm } from './forms/gcore-room-token';
import { ParticipantTokenForm, VerifyParticipantTokenRequest } from './forms/participant-token-form';
import { TwilioAccessTokenForm } from './forms/twilio-access-token';
import { identifierProblem } from './identifiers';
import { TOKEN_ALGORITHMS } from './key-material';
import { ParticipantTokenKeys } from './ports/participant-token-keys.port';
import { refuse, TokenRefused } from './token-refusal';
import { decodeUntrusted, UntrustedToken } from './untrusted-token';

export type VerifyParticipantTokenReply = ReplyOf<typeof VerifyParticipantToken>;

/**
 * The one place every participant token is checked, whatever its form. It reads the
 * token without trusting it only to choose the form; the form finds the key and
 * verifies; then the room and organisation the caller is admitting to are matched
 * against what the verified token says.
 */
@Injectable()
export class ParticipantTokenVerifier {
  readonly #twilio: TwilioAccessTokenForm;
  readonly #datagram: DatagramAliasTokenForm;
  readonly #coviu: CoviuSessionTokenForm;
  readonly #confer: ConferParticipantTokenForm;
  readonly #gcore: GcoreRoomTokenForm;

  constructor(
    @Inject(ParticipantTokenKeys) keys: ParticipantTokenKeys,
    @Inject(Clock) clock: Clock,
    @Inject(AUTH_CONFIG) config: AuthConfig,
  ) {
    this.#twilio = new TwilioAccessTokenForm(keys, clock);
    this.#datagram = new DatagramAliasTokenForm(keys, clock);
    this.#coviu = new CoviuSessionTokenForm(keys, clock);
    this.#confer = new ConferParticipantTokenForm(
      keys,
      clock,
      issuerOf(config),
      config.PARTICIPANT_TOKEN_MAX_TTL_SECONDS,
    );
    this.#gcore = new GcoreRoomTokenForm(keys, clock);
  }

  async verify(request: VerifyParticipantTokenRequest): Promise<VerifyParticipantTokenReply> {
    try {
      refuseUnusableRequestIdentifiers(request);
      const token = decodeUntrusted(request.token);
      refuseUnacceptableAlgorithm(token);
      const participant = await this.formOf(token).verify(token, request);
      matchRequest(participant, request);
      return { valid: true, participant: withoutUndefined(participant) };
    } catch (err) {
      // Only refusals become "valid: false"; an outage propagates so it is never read as a bad token.
      if (err instanceof TokenRefused) return { valid: false, reason: err.reason, message: err.message };
      throw err;
    }
  }

  /** The order matters: the most specific marks first, Gcore room tokens (no fixed marks) last. */
  private formOf(token: UntrustedToken): ParticipantTokenForm {
    if (TwilioAccessTokenForm.recognises(token)) return this.#twilio;
    if (DatagramAliasTokenForm.recognises(token)) return this.#datagram;
    if (CoviuSessionTokenForm.recognises(token)) return this.#coviu;
    if (this.#confer.recognises(token)) return this.#confer;
    return this.#gcore;
  }
}

/**
 * The request's identifiers are compared with the token's and used to look keys up;
 * one that no organisation, room or peer could have (a NUL byte, kilobytes) is the
 * caller's mistake, answered as such rather than failing in the database.
 */
function refuseUnusableRequestIdentifiers(request: VerifyParticipantTokenRequest): void {
  for (const field of ['orgId', 'roomId', 'peerId'] as const) {
    const value = request[field];
    const problem = value === undefined ? undefined : identifierProblem(value);
    if (problem !== undefined) refuse('malformed', `The request's "${field}" ${problem}`);
  }
}

/**
 * Every key also pins its own algorithm (see verifyWithKey); this earlier check just
 * gives `none` and the like a plain answer before any key is looked up.
 */
function refuseUnacceptableAlgorithm(token: UntrustedToken): void {
  if (!TOKEN_ALGORITHMS.some((a) => a === token.header.alg)) {
    refuse(
      'algorithm_not_allowed',
      `Participant tokens are signed with ${TOKEN_ALGORITHMS.join(' or ')}; "${String(token.header.alg)}" is not accepted`,
    );
  }
}

function matchRequest(participant: VerifiedParticipant, request: VerifyParticipantTokenRequest): void {
  if (request.orgId !== undefined && participant.orgId !== request.orgId) {
    refuse(
      'wrong_audience',
      `The token was signed by key ${participant.keyId} of organisation ${participant.orgId}, not of organisation ${request.orgId}`,
    );
  }
  if (request.roomId !== undefined && participant.roomId !== null && participant.roomId !== request.roomId) {
    refuse('wrong_room', `The token admits to room "${participant.roomId}", not "${request.roomId}"`);
  }
}

function withoutUndefined(participant: VerifiedParticipant): VerifiedParticipant {
  return Object.fromEntries(
    Object.entries(participant).filter(([, v]) => v !== undefined),
  ) as VerifiedParticipant;
}
