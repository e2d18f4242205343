import { CommandContract } from './define-command';
import { RegisterAliasCredential, VerifyParticipantToken } from './auth.commands';
import { SignPlatformToken } from './signing.commands';

/** Every request/reply command; documented in the AsyncAPI file. */
export const commandCatalogue: readonly CommandContract[] = [
  VerifyParticipantToken,
  RegisterAliasCredential,
  SignPlatformToken,
];
