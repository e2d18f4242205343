import { generateKeyPairSync, KeyObject } from 'crypto';
import { FixedClock } from './clock';
import { authConfigForTests } from './integrator-tokens.fake';
import { ParticipantTokenVerifier } from './participant-token.verifier';
import { FakeParticipantTokenKeys } from './ports/participant-token-keys.fake';

export interface RsaPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export const rsaPair = (modulusLength = 2048): RsaPair => generateKeyPairSync('rsa', { modulusLength });

/** 2025-06-01T12:00:00Z, where every verifier spec stands. */
export const NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
export const NOW_S = Math.floor(NOW.getTime() / 1000);
export const HOUR = 3600;

export const SECRETS = {
  ak_a1: 'secret-of-key-a1-0123456789abcdef0123',
  ak_a2: 'secret-of-key-a2-0123456789abcdef0123',
  ak_a_old: 'secret-of-old-key-0123456789abcdef012',
  ak_b1: 'secret-of-key-b1-0123456789abcdef0123',
  al_live: 'alias-live-secret-0123456789',
  al_gone: 'alias-gone-secret-0123456789',
} as const;

/**
 * A verifier over in-memory keys of two organisations, a live and an expired alias
 * and one platform key, with the clock pinned at NOW.
 */
export function createVerifierFixture() {
  const orgAKey = rsaPair();
  const orgAOldKey = rsaPair();
  const orgBKey = rsaPair();
  const platformKey = rsaPair();
  const clock = new FixedClock(NOW);
  const config = authConfigForTests();
  const keys = new FakeParticipantTokenKeys()
    .addApiKey({ id: 'ak_a1', orgId: 'org_a', secret: SECRETS.ak_a1 })
    .addApiKey({ id: 'ak_a2', orgId: 'org_a', secret: SECRETS.ak_a2 })
    .addApiKey({ id: 'ak_a_old', orgId: 'org_a', secret: SECRETS.ak_a_old, revoked: true })
    .addApiKey({ id: 'ak_b1', orgId: 'org_b', secret: SECRETS.ak_b1 })
    .addOrganisationPublicKey({ id: 'opk_a1', orgId: 'org_a', publicKey: orgAKey.publicKey })
    .addOrganisationPublicKey({
      id: 'opk_a_old',
      orgId: 'org_a',
      publicKey: orgAOldKey.publicKey,
      revoked: true,
    })
    .addOrganisationPublicKey({ id: 'opk_b1', orgId: 'org_b', publicKey: orgBKey.publicKey })
    .addAlias({
      id: 'al_live',
      orgId: 'org_a',
      roomId: 'room_alias',
      secret: SECRETS.al_live,
      expiresAt: NOW_S + 24 * HOUR,
    })
    .addAlias({
      id: 'al_gone',
      orgId: 'org_a',
      roomId: 'room_alias',
      secret: SECRETS.al_gone,
      expiresAt: NOW_S - HOUR,
    })
    .addPlatformKey({ kid: 'kid_p1', publicKey: platformKey.publicKey });
  const verifier = new ParticipantTokenVerifier(keys, clock, config);
  return { verifier, keys, clock, config, orgAKey, orgAOldKey, orgBKey, platformKey };
}
