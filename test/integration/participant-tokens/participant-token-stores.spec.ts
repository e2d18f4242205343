import { generateKeyPairSync } from 'crypto';
import { DataSource } from 'typeorm';
import { RunningAuthService, startAuthService } from '../../support/auth-service.harness';
import { SecretBox } from '../../../apps/auth/src/crypto/secret-box';
import { newId, newSecret } from '../../../apps/auth/src/crypto/identifiers';
import { SigningKeys } from '../../../apps/auth/src/signing-keys/signing-keys.service';
import { AliasCredentialPurge } from '../../../apps/auth/src/participant-tokens/alias-credentials/alias-credential-purge';
import { OrganisationPublicKeyRows } from '../../../apps/auth/src/participant-tokens/ports/organisation-public-key-rows.port';
import { ParticipantTokenKeys } from '../../../apps/auth/src/participant-tokens/ports/participant-token-keys.port';

/**
 * The participant-token stores against the real PostgreSQL of a running auth service:
 * what the unit specs' in-memory fakes stand in for must behave the same here.
 */
describe('participant-token stores in PostgreSQL', () => {
  let auth: RunningAuthService;
  let db: DataSource;
  let box: SecretBox;
  let keys: ParticipantTokenKeys;
  let rows: OrganisationPublicKeyRows;
  let purge: AliasCredentialPurge;

  const pem = () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();

  async function organisation(): Promise<string> {
    const orgId = newId('org');
    await db.query('INSERT INTO organisations (id, name) VALUES ($1, $2)', [orgId, orgId]);
    return orgId;
  }

  async function apiKey(orgId: string, revoked = false): Promise<{ id: string; secret: string }> {
    const id = newId('ak', 24);
    const secret = newSecret();
    await db.query('INSERT INTO api_keys (id, org_id, secret_sealed, revoked_at) VALUES ($1, $2, $3, $4)', [
      id,
      orgId,
      box.seal(secret, id),
      revoked ? new Date() : null,
    ]);
    return { id, secret };
  }

  async function alias(orgId: string, expiresAt: string): Promise<string> {
    const aliasId = newId('al');
    await db.query(
      `INSERT INTO alias_credentials (alias_id, org_id, room_id, secret_sealed, expires_at)
       VALUES ($1, $2, 'room-1', $3, ${expiresAt})`,
      [aliasId, orgId, box.seal('alias-secret-0123456789', aliasId)],
    );
    return aliasId;
  }

  beforeAll(async () => {
    auth = await startAuthService();
    db = auth.app.get(DataSource);
    box = auth.app.get(SecretBox);
    keys = auth.app.get(ParticipantTokenKeys);
    rows = auth.app.get(OrganisationPublicKeyRows);
    purge = auth.app.get(AliasCredentialPurge);
  });

  afterAll(async () => {
    await auth?.close();
  });

  describe('ParticipantTokenKeys (TypeORM adapter)', () => {
    it('binds API key and alias secrets to HS256, public and platform keys to RS256', async () => {
      const orgId = await organisation();
      const live = await apiKey(orgId);
      const revoked = await apiKey(orgId, true);
      const publicKey = await rows.add({ id: newId('opk'), orgId, name: null, publicKeyPem: pem() });
      const aliasId = await alias(orgId, `now() + interval '1 hour'`);
      const { kid } = await auth.app.get(SigningKeys).currentSigningKey();

      const hs = await keys.apiKey(live.id);
      expect(hs).toMatchObject({ kind: 'api_key', orgId, algorithm: 'HS256', revoked: false });
      expect(hs?.key.export().toString('utf8')).toBe(live.secret);
      expect(await keys.apiKey(revoked.id)).toMatchObject({ revoked: true });
      const rs = await keys.organisationPublicKey(publicKey.id);
      expect(rs).toMatchObject({
        kind: 'organisation_public_key',
        orgId,
        algorithm: 'RS256',
        revoked: false,
      });
      expect(rs?.key.asymmetricKeyType).toBe('rsa');
      expect(await keys.platformKey(kid)).toMatchObject({
        kind: 'platform_key',
        id: kid,
        algorithm: 'RS256',
      });
      const aliasKey = await keys.aliasCredential(aliasId);
      expect(aliasKey).toMatchObject({ kind: 'alias_secret', orgId, roomId: 'room-1', algorithm: 'HS256' });
      expect(aliasKey?.key.export().toString('utf8')).toBe('alias-secret-0123456789');
      expect(aliasKey?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500);
    });

    it('answers undefined for unknown ids, and lists only live keys of an organisation', async () => {
      const orgId = await organisation();
      const live = await apiKey(orgId);
      await apiKey(orgId, true);
      const kept = await rows.add({ id: newId('opk'), orgId, name: null, publicKeyPem: pem() });
      const gone = await rows.add({ id: newId('opk'), orgId, name: null, publicKeyPem: pem() });
      await rows.revoke(orgId, gone.id, new Date());

      expect(await keys.apiKey('ak_unknown')).toBeUndefined();
      expect(await keys.organisationPublicKey('opk_unknown')).toBeUndefined();
      expect(await keys.aliasCredential('al_unknown')).toBeUndefined();
      expect(await keys.platformKey('sk_unknown')).toBeUndefined();
      expect((await keys.apiKeysOfOrganisation(orgId)).map((k) => k.id)).toEqual([live.id]);
      expect((await keys.organisationPublicKeys(orgId)).map((k) => k.id)).toEqual([kept.id]);
    });

    it('caches a lookup until told to forget it', async () => {
      const orgId = await organisation();
      const { id } = await rows.add({ id: newId('opk'), orgId, name: null, publicKeyPem: pem() });
      expect(await keys.organisationPublicKey(id)).toMatchObject({ revoked: false });
      await db.query('UPDATE organisation_public_keys SET revoked_at = now() WHERE id = $1', [id]);
      expect(await keys.organisationPublicKey(id)).toMatchObject({ revoked: false });
      keys.forget('organisation_public_key', id);
      expect(await keys.organisationPublicKey(id)).toMatchObject({ revoked: true });
    });

    it('fails, as PostgreSQL does, when handed an id with a NUL byte: why the verifier stops those first', async () => {
      await expect(keys.organisationPublicKey('opk_\u0000')).rejects.toThrow(/0x00/);
    });
  });

  describe('OrganisationPublicKeyRows (TypeORM adapter)', () => {
    it('stores a key stamped by the database, pages newest first, and scopes every lookup to its organisation', async () => {
      const orgId = await organisation();
      const other = await organisation();
      const added = [];
      for (let i = 0; i < 3; i++)
        added.push(await rows.add({ id: newId('opk'), orgId, name: `k${i}`, publicKeyPem: pem() }));
      await rows.add({ id: newId('opk'), orgId: other, name: null, publicKeyPem: pem() });

      expect(added[0]).toMatchObject({ orgId, name: 'k0', revokedAt: null, createdAt: expect.any(Date) });
      const page = await rows.page(orgId, 0, 2);
      expect(page.total).toBe(3);
      const newestFirst = [...added].sort(
        (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id),
      );
      expect(page.rows.map((r) => r.id)).toEqual(newestFirst.slice(0, 2).map((r) => r.id));
      expect((await rows.page(orgId, 2, 2)).rows.map((r) => r.id)).toEqual([newestFirst[2].id]);

      expect(await rows.find(orgId, added[0].id)).toEqual(added[0]);
      expect(await rows.find(other, added[0].id)).toBeUndefined();
      expect(await rows.revoke(other, added[0].id, new Date())).toBeUndefined();
    });

    it('revokes once: a second revocation keeps the first time', async () => {
      const orgId = await organisation();
      const { id } = await rows.add({ id: newId('opk'), orgId, name: null, publicKeyPem: pem() });
      const first = new Date('2025-01-01T00:00:00Z');
      expect(await rows.revoke(orgId, id, first)).toMatchObject({ id, revokedAt: first });
      expect(await rows.revoke(orgId, id, new Date('2025-02-01T00:00:00Z'))).toMatchObject({
        revokedAt: first,
      });
    });
  });

  describe('AliasCredentialPurge', () => {
    it('deletes, batch after batch, only aliases that expired over a day ago', async () => {
      const orgId = await organisation();
      const old = [];
      for (let i = 0; i < 5; i++) old.push(await alias(orgId, `now() - interval '2 days'`));
      const recent = await alias(orgId, `now() - interval '1 hour'`);
      const live = await alias(orgId, `now() + interval '1 hour'`);

      expect(await purge.purgeBatch(2)).toBe(2);
      expect(await purge.runOnce(2)).toBe(3);
      expect(await purge.runOnce(2)).toBe(0);

      const left = (await db.query('SELECT alias_id FROM alias_credentials WHERE org_id = $1', [
        orgId,
      ])) as Array<{ alias_id: string }>;
      expect(left.map((r) => r.alias_id).sort()).toEqual([recent, live].sort());
    });
  });
});
