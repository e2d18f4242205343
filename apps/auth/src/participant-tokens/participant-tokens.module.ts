import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { AliasCredentialEntity } from './alias-credential.entity';
import { AliasCredentialPurge } from './alias-credentials/alias-credential-purge';
import { AliasCredentials } from './alias-credentials/alias-credentials.service';
import { RegisterAliasCredentialMessageController } from './alias-credentials/register-alias-credential.message.controller';
import { Clock, SystemClock } from './clock';
import { MintParticipantTokenHttpController } from './mint-participant-token/mint-participant-token.http.controller';
import { ParticipantTokenMinter } from './mint-participant-token/participant-token.minter';
import { OrganisationPublicKeyRowsTypeormAdapter } from './organisation-public-key-rows.typeorm-adapter';
import { OrganisationPublicKeyEntity } from './organisation-public-key.entity';
import { OrganisationPublicKeys } from './organisation-public-keys/organisation-public-keys.service';
import { OrganisationPublicKeysHttpController } from './organisation-public-keys/organisation-public-keys.http.controller';
import { ParticipantTokenKeysTypeormAdapter } from './participant-token-keys.typeorm-adapter';
import { ParticipantTokenMessageController } from './participant-token.message.controller';
import { ParticipantTokenVerifier } from './participant-token.verifier';
import { OrganisationPublicKeyRows } from './ports/organisation-public-key-rows.port';
import { ParticipantTokenKeys } from './ports/participant-token-keys.port';

export const httpControllers = [MintParticipantTokenHttpController, OrganisationPublicKeysHttpController];
/** NATS command handlers; they register with CommandServer on application bootstrap. */
export const messageControllers = [
  ParticipantTokenMessageController,
  RegisterAliasCredentialMessageController,
];
export const repositories = [
  { provide: ParticipantTokenKeys, useClass: ParticipantTokenKeysTypeormAdapter },
  { provide: OrganisationPublicKeyRows, useClass: OrganisationPublicKeyRowsTypeormAdapter },
];
export const providers = [
  { provide: Clock, useClass: SystemClock },
  ParticipantTokenVerifier,
  ParticipantTokenMinter,
  OrganisationPublicKeys,
  AliasCredentials,
  AliasCredentialPurge,
];

/**
 * Participant tokens: the verifier of every accepted token form (over NATS), minting
 * of Confer's own tokens, organisations' RS256 public keys and aliases' secrets.
 * Needs AUTH_CONFIG and SecretBox from a global provider, CommandServer from BusModule.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([OrganisationPublicKeyEntity, AliasCredentialEntity]),
    ApiKeysModule,
    SigningKeysModule,
  ],
  controllers: httpControllers,
  providers: [...repositories, ...providers, ...messageControllers],
  exports: [ParticipantTokenVerifier, ParticipantTokenMinter],
})
export class ParticipantTokensModule {}
