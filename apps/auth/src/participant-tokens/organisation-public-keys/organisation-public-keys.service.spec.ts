import { generateKeyPairSync } from 'crypto';
import { AppError } from '@confer/http';
import { FixedClock } from '../clock';
import { FakeOrganisationPublicKeyRows } from '../ports/organisation-public-key-rows.fake';
import { FakeParticipantTokenKeys } from '../ports/participant-token-keys.fake';
import { NOW, rsaPair } from '../verifier-fixture.fake';
import { OrganisationPublicKeys } from './organisation-public-keys.service';

describe('OrganisationPublicKeys', () => {
  const pem = (key: { export(o: { type: 'spki'; format: 'pem' }): string | Buffer }) =>
    key.export({ type: 'spki', format: 'pem' }).toString();
  let rows: FakeOrganisationPublicKeyRows;
  let keys: FakeParticipantTokenKeys;
  let service: OrganisationPublicKeys;

  beforeEach(() => {
    rows = new FakeOrganisationPublicKeyRows(NOW);
    keys = new FakeParticipantTokenKeys();
    service = new OrganisationPublicKeys(rows, keys, new FixedClock(NOW));
  });

  it('registers an RSA public key under a new kid, stored as SPKI PEM', async () => {
    const { publicKey } = rsaPair();
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const row = await service.register('org_a', pkcs1, 'signer');
    expect(row).toMatchObject({
      id: expect.stringMatching(/^opk_[a-z0-9]{20}$/),
      orgId: 'org_a',
      name: 'signer',
      revokedAt: null,
      publicKeyPem: pem(publicKey),
    });
    // Else tokens without kid, tried against the cached list of live keys, miss the new key for a while.
    expect(keys.forgotten).toEqual([{ kind: 'organisation_public_key', id: row.id }]);
  });

  it.each([
    ['garbage', () => 'not a key', /not a PEM-encoded public key/],
    [
      'a 1024-bit RSA key',
      () => pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey),
      /1024 bits/,
    ],
    [
      'an EC key',
      () => pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey),
      /RSA key is required/,
    ],
  ])('refuses %s with 400 invalid_public_key', async (_what, material, message) => {
    const attempt = service.register('org_a', material(), null);
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      code: 'invalid_public_key',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a private key handed in by mistake, rather than quietly keeping its public half', async () => {
    const { privateKey } = rsaPair();
    await expect(
      service.register('org_a', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), null),
    ).rejects.toMatchObject({
      status: 400,
      code: 'invalid_public_key',
      message: expect.stringContaining('private key'),
    });
    expect(rows.size).toBe(0);
  });

  it("lists one organisation's keys, newest first, a page at a time", async () => {
    const { publicKey } = rsaPair();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await service.register('org_a', pem(publicKey), `k${i}`)).id);
    await service.register('org_b', pem(publicKey), 'other');
    const page = await service.list('org_a', 0, 2);
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.id)).toEqual([ids[2], ids[1]]);
  });

  it("revokes idempotently, forgets the cached key, and 404s for another organisation's key", async () => {
    const { id } = await service.register('org_a', pem(rsaPair().publicKey), null);
    const revoked = await service.revoke('org_a', id);
    expect(revoked.revokedAt).toEqual(NOW);
    expect((await service.revoke('org_a', id)).revokedAt).toEqual(NOW);
    expect(keys.forgotten).toContainEqual({ kind: 'organisation_public_key', id });
    await expect(service.revoke('org_b', id)).rejects.toMatchObject({
      status: 404,
      code: 'public_key_not_found',
    });
    expect((await service.get('org_a', id)).revokedAt).toEqual(NOW);
  });

  it("answers 404 for an unknown key and for another organisation's key, and revokes nothing", async () => {
    const { id } = await service.register('org_a', pem(rsaPair().publicKey), null);
    const forgottenBefore = keys.forgotten.length;
    for (const [orgId, keyId] of [
      ['org_b', id],
      ['org_a', 'opk_nope'],
    ]) {
      for (const attempt of [service.get(orgId, keyId), service.revoke(orgId, keyId)]) {
        await expect(attempt).rejects.toMatchObject({
          status: 404,
          code: 'public_key_not_found',
          message: expect.stringContaining(keyId),
        });
      }
    }
    expect(keys.forgotten).toHaveLength(forgottenBefore);
    expect((await service.get('org_a', id)).revokedAt).toBeNull();
  });
});
