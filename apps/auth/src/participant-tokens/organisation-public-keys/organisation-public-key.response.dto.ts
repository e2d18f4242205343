import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrganisationPublicKeyRecord } from '../ports/organisation-public-key-rows.port';

export class OrganisationPublicKeyResponseDto {
  @ApiProperty({
    description: 'The key id: put it in the `kid` header of room tokens signed with the matching private key',
    example: 'opk_k2j4…',
  })
  id: string;

  @ApiProperty()
  orgId: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  name: string | null;

  @ApiProperty({ enum: ['RS256'], description: 'The only algorithm tokens verified with this key may use' })
  algorithm: 'RS256';

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Set once revoked; tokens naming a revoked key are refused',
  })
  revokedAt: string | null;

  @ApiProperty({ description: 'The registered public key, PEM-encoded' })
  publicKeyPem: string;
}

export class OrganisationPublicKeyLinks {
  @ApiProperty({ example: { href: '/v1/orgs/org_x/public-keys?page=0&count=50' } }) self: { href: string };
  @ApiPropertyOptional() next?: { href: string };
  @ApiPropertyOptional() previous?: { href: string };
}

export class OrganisationPublicKeyPageDto {
  @ApiProperty({ type: [OrganisationPublicKeyResponseDto] }) content: OrganisationPublicKeyResponseDto[];
  @ApiProperty({ type: OrganisationPublicKeyLinks }) _links: OrganisationPublicKeyLinks;
}

export function organisationPublicKeyResponse(
  row: OrganisationPublicKeyRecord,
): OrganisationPublicKeyResponseDto {
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    algorithm: 'RS256',
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
    publicKeyPem: row.publicKeyPem,
  };
}
