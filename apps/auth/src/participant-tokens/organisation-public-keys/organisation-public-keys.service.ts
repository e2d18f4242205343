import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { newId } from '../../crypto/identifiers';
import { rs256Key, UnusablePublicKey } from '../key-material';
import { OrganisationPublicKeyEntity } from '../organisation-public-key.entity';
import { ParticipantTokenErrors } from '../participant-token.errors';
import { ParticipantTokenKeys } from '../ports/participant-token-keys.port';
import { Clock } from '../clock';

export interface PublicKeyPage {
  rows: OrganisationPublicKeyEntity[];
  total: number;
}

/**
 * The RSA public keys an organisation registers to sign its own room tokens (RS256).
 * Only the public half is ever held; the organisation keeps its private key.
 */
@Injectable()
export class OrganisationPublicKeys {
  constructor(
    @InjectRepository(OrganisationPublicKeyEntity)
    private readonly rows: Pick<
      Repository<OrganisationPublicKeyEntity>,
      'create' | 'save' | 'findOneBy' | 'findAndCount' | 'update'
    >,
    @Inject(ParticipantTokenKeys) private readonly keys: ParticipantTokenKeys,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async register(
    orgId: string,
    publicKeyPem: string,
    name: string | null,
  ): Promise<OrganisationPublicKeyEntity> {
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
    const row = this.rows.create({
      id: newId('opk'),
      orgId,
      name,
      publicKeyPem: canonicalPem,
      revokedAt: null,
    });
    return this.rows.save(row);
  }

  async list(orgId: string, page: number, count: number): Promise<PublicKeyPage> {
    const [rows, total] = await this.rows.findAndCount({
      where: { orgId },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: page * count,
      take: count,
    });
    return { rows, total };
  }

  async get(orgId: string, keyId: string): Promise<OrganisationPublicKeyEntity> {
    const row = await this.rows.findOneBy({ id: keyId, orgId });
    if (!row)
      throw ParticipantTokenErrors.publicKeyNotFound(
        { keyId },
        { message: `Public key ${keyId} does not exist in organisation ${orgId}` },
      );
    return row;
  }

  /** Idempotent: revoking a revoked key answers it unchanged. */
  async revoke(orgId: string, keyId: string): Promise<OrganisationPublicKeyEntity> {
    const row = await this.get(orgId, keyId);
    if (row.revokedAt === null) {
      row.revokedAt = this.clock.now();
      await this.rows.update({ id: row.id, orgId }, { revokedAt: row.revokedAt });
    }
    // Other replicas notice within the key cache period.
    this.keys.forget('organisation_public_key', keyId);
    return row;
  }
}
