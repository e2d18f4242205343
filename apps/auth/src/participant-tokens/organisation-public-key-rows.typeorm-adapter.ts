import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { OrganisationPublicKeyEntity } from './organisation-public-key.entity';
import {
  NewOrganisationPublicKey,
  OrganisationPublicKeyPage,
  OrganisationPublicKeyRecord,
  OrganisationPublicKeyRows,
} from './ports/organisation-public-key-rows.port';

/** Registered public keys in PostgreSQL (`organisation_public_keys`). */
@Injectable()
export class OrganisationPublicKeyRowsTypeormAdapter extends OrganisationPublicKeyRows {
  constructor(
    @InjectRepository(OrganisationPublicKeyEntity)
    private readonly rows: Repository<OrganisationPublicKeyEntity>,
  ) {
    super();
  }

  async add(key: NewOrganisationPublicKey): Promise<OrganisationPublicKeyRecord> {
    const saved = await this.rows.save(this.rows.create({ ...key, revokedAt: null }));
    // createdAt is the database's clock; read the row back rather than trust the entity.
    return recordOf(await this.rows.findOneByOrFail({ id: saved.id }));
  }

  async page(orgId: string, skip: number, take: number): Promise<OrganisationPublicKeyPage> {
    const [rows, total] = await this.rows.findAndCount({
      where: { orgId },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip,
      take,
    });
    return { rows: rows.map(recordOf), total };
  }

  async find(orgId: string, keyId: string): Promise<OrganisationPublicKeyRecord | undefined> {
    const row = await this.rows.findOneBy({ id: keyId, orgId });
    return row ? recordOf(row) : undefined;
  }

  async revoke(orgId: string, keyId: string, at: Date): Promise<OrganisationPublicKeyRecord | undefined> {
    // Only the first revocation stamps the time, so revoking twice answers the same key.
    await this.rows.update({ id: keyId, orgId, revokedAt: IsNull() }, { revokedAt: at });
    return this.find(orgId, keyId);
  }
}

function recordOf(row: OrganisationPublicKeyEntity): OrganisationPublicKeyRecord {
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    publicKeyPem: row.publicKeyPem,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}
