import { RequestOf, TokenForm, VerifiedParticipant, VerifyParticipantToken } from '@confer/contracts';
import { UntrustedToken } from '../untrusted-token';

export type VerifyParticipantTokenRequest = RequestOf<typeof VerifyParticipantToken>;

/**
 * One accepted token form: finds the key the token names, verifies it with that key's
 * algorithm, checks the form's own claims and says who the token admits. Room and
 * organisation matching against the request are left to the verifier, uniformly.
 */
export interface ParticipantTokenForm {
  readonly form: TokenForm;
  verify(token: UntrustedToken, request: VerifyParticipantTokenRequest): Promise<VerifiedParticipant>;
}
