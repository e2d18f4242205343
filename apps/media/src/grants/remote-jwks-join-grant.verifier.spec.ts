import http from 'http';
import { AddressInfo } from 'net';
import { generateKeyPairSync, KeyObject } from 'crypto';
import { JWK, SignJWT } from 'jose';
import { RemoteJwksJoinGrantVerifier } from './remote-jwks-join-grant.verifier';

const ISSUER = 'https://meet.example.com';

/** A key pair as a key set lists it, and its private half to sign with. */
function keyPair(kind: 'ed25519' | 'rsa', kid: string): { jwk: JWK; privateKey: KeyObject } {
  const { publicKey, privateKey } =
    kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  const alg = kind === 'rsa' ? 'RS256' : 'EdDSA';
  return { jwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg, use: 'sig' }, privateKey };
}

const grantClaims = {
  org: 'org_1',
  room: 'consult-1',
  session: '7c1d7a52-1d5e-4a53-9f3e-0d7e8f1b2a3c',
  conferenceNumber: '12345678',
  peer: 'ana',
  connection: 'c_1',
  role: 'participant',
  mediaServer: 'serv0',
  perms: { publishAudio: true, publishVideo: true, shareScreen: true, subscribe: true },
};

function grantSignedBy(key: { jwk: JWK; privateKey: KeyObject }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(grantClaims)
    .setProtectedHeader({ alg: key.jwk.alg as string, kid: key.jwk.kid })
    .setIssuer(ISSUER)
    .setAudience('confer:join-grant')
    .setSubject('ana')
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(key.privateKey);
}

/** The rooms service's grant key set and auth's JWKS, served for real, with fetches counted. */
describe('verifying join grants against the rooms key set and auth JWKS', () => {
  const roomsKeys: JWK[] = [];
  const platformKeys: JWK[] = [];
  const fetches = { rooms: 0, auth: 0 };
  let server: http.Server;
  let verifier: RemoteJwksJoinGrantVerifier;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const rooms = req.url === '/v1/join-grant-keys';
      fetches[rooms ? 'rooms' : 'auth'] += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: rooms ? roomsKeys : platformKeys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    verifier = new RemoteJwksJoinGrantVerifier({
      roomsUrl: base,
      jwksUrl: `${base}/.well-known/jwks.json`,
      issuer: ISSUER,
      mediaServerId: 'serv0',
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('takes a grant signed by a rooms replica key, and one a replica started a moment later signs', async () => {
    const first = keyPair('ed25519', 'gk_first');
    roomsKeys.push(first.jwk);
    await expect(verifier.verify(await grantSignedBy(first))).resolves.toMatchObject({
      peer: 'ana',
      room: 'consult-1',
    });
    // A second replica lists its key and signs right away, within the key set's cooldown.
    const second = keyPair('ed25519', 'gk_second');
    roomsKeys.push(second.jwk);
    const before = fetches.rooms;
    await expect(verifier.verify(await grantSignedBy(second))).resolves.toMatchObject({ peer: 'ana' });
    expect(fetches.rooms).toBe(before + 1);
    expect(fetches.auth).toBe(0);
  });

  it('refuses a grant whose key no replica lists, and one signed by an unlisted key under a listed kid', async () => {
    const stranger = keyPair('ed25519', 'gk_stranger');
    await expect(verifier.verify(await grantSignedBy(stranger))).rejects.toMatchObject({
      code: 'invalid_grant',
    });
    const forged = { ...keyPair('ed25519', 'gk_first') };
    await expect(verifier.verify(await grantSignedBy(forged))).rejects.toMatchObject({
      code: 'invalid_grant',
      message: 'the join grant signature is not valid',
    });
  });

  it("still takes an RS256 grant signed by auth's platform key (rooms replicas of an earlier release)", async () => {
    const platform = keyPair('rsa', 'sk_platform');
    platformKeys.push(platform.jwk);
    await expect(verifier.verify(await grantSignedBy(platform))).resolves.toMatchObject({ peer: 'ana' });
    // An RS256 key in the rooms set is no platform key: its grants are refused.
    const misplaced = keyPair('rsa', 'gk_rsa');
    roomsKeys.push(misplaced.jwk);
    await expect(verifier.verify(await grantSignedBy(misplaced))).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });
});
