import { Inject, Injectable } from '@nestjs/common';
import { newId } from '../../crypto/identifiers';
import { Clock } from '../clock';
import { rs256Key, UnusablePublicKey } from '../key-material';
import { ParticipantTokenErrors } from '../participant-token.errors';
import {
  OrganisationPublicKeyPage,
  OrganisationPublicKeyRecord,
  OrganisationPublicKeyRows,
} from '../ports/organisation-public-key-rows.port';
import { ParticipantTokenKeys } from '../ports/participant-token-keys.port';

/**
 * The RSA public keys an organisation registers to sign its own room tokens (RS256).
 * Only the public half is ever held; the organisation keeps its private key.
 */
@Injectable()
export class OrganisationPublicKeys {
  constructor(
    @Inject(OrganisationPublicKeyRows) private readonly rows: OrganisationPublicKeyRows,
    @Inject(ParticipantTokenKeys) private readonly keys: ParticipantTokenKeys,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async register(
    orgId: string,
    publicKeyPem: string,
    name: string | null,
  ): Promise<OrganisationPublicKeyRecord> {
    if (/PRIVATE KEY/.test(publicKeyPem)) {
      // Deriving the public half would work, but the caller should learn the private key left their hands.
      const problem = 'this is a private key: keep it secret and register only its public key';
      throw ParticipantTokenErrors.invalidPublicKey([{ field: 'publicKeyPem', problems: [problem] }], {
        message: `publicKeyPem is unusable: ${problem}`,
      });
    }
    let canonicalPem: string;
    try {
      // Stored re-encoded as SPKI PEM, so what is kept is exactly what was checked.
      canonicalPem = rs256Key(publicKeyPem).key.export({ type: 'spki', format: 'pem' }).toString();
    } catch (err) {
      if (!(err instanceof UnusablePublicKey)) throw err;
      throw ParticipantTokenErrors.invalidPublicKey([{ field: 'publicKeyPem', problems: [err.message] }], {
        message: `publicKeyPem is unusable: ${err.message}`,
      });
    }
    const row = await this.rows.add({ id: newId('opk'), orgId, name, publicKeyPem: canonicalPem });
    // The organisation's cached list of live keys (tried for tokens without kid) lacks the new one.
    this.keys.forget('organisation_public_key', row.id);
    return row;
  }

  list(orgId: string, page: number, count: number): Promise<OrganisationPublicKeyPage> {
    return this.rows.page(orgId, page * count, count);
  }

  async get(orgId: string, keyId: string): Promise<OrganisationPublicKeyRecord> {
    return (await this.rows.find(orgId, keyId)) ?? notFound(orgId, keyId);
  }

  /** Idempotent: revoking a revoked key answers it unchanged. */
  async revoke(orgId: string, keyId: string): Promise<OrganisationPublicKeyRecord> {
    const row = (await this.rows.revoke(orgId, keyId, this.clock.now())) ?? notFound(orgId, keyId);
    // Other replicas notice within the key cache period.
    this.keys.forget('organisation_public_key', keyId);
    return row;
  }
}

function notFound(orgId: string, keyId: string): never {
  throw ParticipantTokenErrors.publicKeyNotFound(
    { keyId },
    { message: `Public key ${keyId} does not exist in organisation ${orgId}` },
  );
}
