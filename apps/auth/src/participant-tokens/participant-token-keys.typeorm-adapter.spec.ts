import { randomBytes } from 'crypto';
import { Repository } from 'typeorm';
import { ApiKeyCredential } from '../api-keys/api-key-credentials';
import { SecretBox } from '../crypto/secret-box';
import { AliasCredentialEntity } from './alias-credential.entity';
import { OrganisationPublicKeyEntity } from './organisation-public-key.entity';
import { ParticipantTokenKeysTypeormAdapter } from './participant-token-keys.typeorm-adapter';
import { NOW, NOW_S, rsaPair } from './verifier-fixture.fake';

describe('ParticipantTokenKeysTypeormAdapter', () => {
  const box = new SecretBox(randomBytes(32).toString('base64'));
  const orgKey = rsaPair();
  const platformKey = rsaPair();

  function setUp() {
    const publicKeyRow: OrganisationPublicKeyEntity = Object.assign(new OrganisationPublicKeyEntity(), {
      id: 'opk_1',
      orgId: 'org_a',
      name: null,
      publicKeyPem: orgKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      createdAt: NOW,
      revokedAt: null,
    });
    const aliasRow = Object.assign(new AliasCredentialEntity(), {
      aliasId: 'al_1',
      orgId: 'org_a',
      roomId: 'room_1',
      secretSealed: box.seal('alias-secret', 'al_1'),
      expiresAt: new Date((NOW_S + 3600) * 1000),
      createdAt: NOW,
    });
    const credentials: ApiKeyCredential[] = [
      { keyId: 'ak_1', orgId: 'org_a', secret: 'secret-1', revoked: false, rateLimitPerSecond: 4 },
      { keyId: 'ak_2', orgId: 'org_a', secret: 'secret-2', revoked: true, rateLimitPerSecond: 4 },
    ];
    const calls = { publicKeyFind: 0, aliasFind: 0, forOrganisation: 0, invalidated: [] as string[] };
    const publicKeyRows = {
      findOneBy: async (where: { id?: unknown }) => (
        calls.publicKeyFind++,
        where.id === publicKeyRow.id ? publicKeyRow : null
      ),
      find: async () => [publicKeyRow].filter((r) => r.revokedAt === null),
    };
    const aliasRows = {
      findOneBy: async (where: { aliasId?: unknown }) => (
        calls.aliasFind++,
        where.aliasId === aliasRow.aliasId ? aliasRow : null
      ),
    };
    const apiKeyCredentials = {
      find: async (keyId: string) => credentials.find((c) => c.keyId === keyId),
      forOrganisation: async (orgId: string) => (
        calls.forOrganisation++,
        credentials.filter((c) => c.orgId === orgId && !c.revoked)
      ),
      invalidate: (keyId: string) => void calls.invalidated.push(keyId),
    };
    const signingKeys = {
      verificationKey: async (kid: string) => (kid === 'sk_1' ? platformKey.publicKey : undefined),
    };
    // TypeORM's overloads are wider than the few calls the adapter makes; these stand-ins serve those.
    const adapter = new ParticipantTokenKeysTypeormAdapter(
      publicKeyRows as unknown as Repository<OrganisationPublicKeyEntity>,
      aliasRows as unknown as Repository<AliasCredentialEntity>,
      apiKeyCredentials,
      signingKeys,
      box,
    );
    return { adapter, calls, publicKeyRow };
  }

  it('binds API key secrets and alias secrets to HS256, public keys and platform keys to RS256', async () => {
    const { adapter } = setUp();
    expect(await adapter.apiKey('ak_1')).toMatchObject({
      kind: 'api_key',
      orgId: 'org_a',
      algorithm: 'HS256',
      revoked: false,
    });
    expect((await adapter.apiKey('ak_1'))?.key.type).toBe('secret');
    expect(await adapter.apiKey('ak_2')).toMatchObject({ revoked: true });
    expect(await adapter.organisationPublicKey('opk_1')).toMatchObject({
      kind: 'organisation_public_key',
      orgId: 'org_a',
      algorithm: 'RS256',
    });
    expect((await adapter.organisationPublicKey('opk_1'))?.key.asymmetricKeyType).toBe('rsa');
    expect(await adapter.platformKey('sk_1')).toMatchObject({
      kind: 'platform_key',
      id: 'sk_1',
      algorithm: 'RS256',
    });
    expect(await adapter.aliasCredential('al_1')).toMatchObject({
      kind: 'alias_secret',
      orgId: 'org_a',
      roomId: 'room_1',
      expiresAt: NOW_S + 3600,
      algorithm: 'HS256',
    });
  });

  it('opens the alias secret it stored sealed', async () => {
    const { adapter } = setUp();
    const alias = await adapter.aliasCredential('al_1');
    expect(alias?.key.export().toString('utf8')).toBe('alias-secret');
  });

  it('answers undefined for unknown ids, and lists only live keys of an organisation', async () => {
    const { adapter } = setUp();
    expect(await adapter.apiKey('ak_x')).toBeUndefined();
    expect(await adapter.organisationPublicKey('opk_x')).toBeUndefined();
    expect(await adapter.aliasCredential('al_x')).toBeUndefined();
    expect(await adapter.platformKey('sk_x')).toBeUndefined();
    expect((await adapter.apiKeysOfOrganisation('org_a')).map((k) => k.id)).toEqual(['ak_1']);
    expect((await adapter.organisationPublicKeys('org_a')).map((k) => k.id)).toEqual(['opk_1']);
  });

  it('caches lookups (misses included) until told to forget', async () => {
    const { adapter, calls, publicKeyRow } = setUp();
    await adapter.organisationPublicKey('opk_1');
    await adapter.organisationPublicKey('opk_1');
    await adapter.organisationPublicKey('opk_x');
    await adapter.organisationPublicKey('opk_x');
    expect(calls.publicKeyFind).toBe(2);

    publicKeyRow.revokedAt = NOW;
    expect(await adapter.organisationPublicKey('opk_1')).toMatchObject({ revoked: false });
    adapter.forget('organisation_public_key', 'opk_1');
    expect(await adapter.organisationPublicKey('opk_1')).toMatchObject({ revoked: true });

    await adapter.aliasCredential('al_1');
    adapter.forget('alias_secret', 'al_1');
    await adapter.aliasCredential('al_1');
    expect(calls.aliasFind).toBe(2);

    await adapter.apiKeysOfOrganisation('org_a');
    await adapter.apiKeysOfOrganisation('org_a');
    adapter.forget('api_key', 'ak_1');
    await adapter.apiKeysOfOrganisation('org_a');
    expect(calls.forOrganisation).toBe(2);
    expect(calls.invalidated).toEqual(['ak_1']);
  });
});
