import { DeliveryTokenCache, SignRequest } from './delivery-tokens';

describe('DeliveryTokenCache', () => {
  const signer = () => {
    const requests: SignRequest[] = [];
    let now = 1000;
    return {
      requests,
      advance: (seconds: number) => (now += seconds),
      sign: async (request: SignRequest) => {
        requests.push(request);
        return { token: `t${requests.length}`, expiresAt: now + request.ttlSeconds };
      },
      now: () => now,
    };
  };

  it('signs once per event body, however many endpoints share it', async () => {
    const s = signer();
    const cache = new DeliveryTokenCache(s.sign, 'confer-webhooks', 300);
    const tokens = await Promise.all(Array.from({ length: 100 }, () => cache.tokenFor('e1', 'h1', s.now())));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(s.requests).toEqual([
      {
        subject: 'confer-webhooks@clients',
        claims: { azp: 'confer-webhooks', gty: 'client-credentials', event_id: 'e1', body_sha256: 'h1' },
        ttlSeconds: 300,
      },
    ]);
    await cache.tokenFor('e2', 'h2', s.now());
    expect(s.requests).toHaveLength(2);
  });

  it('re-signs a token close to expiry', async () => {
    const s = signer();
    const cache = new DeliveryTokenCache(s.sign, 'c', 300);
    expect(await cache.tokenFor('e1', 'h1', s.now())).toBe('t1');
    s.advance(250);
    expect(await cache.tokenFor('e1', 'h1', s.now())).toBe('t2');
  });

  it('forgets a failed signature so the next attempt signs again', async () => {
    let fail = true;
    const cache = new DeliveryTokenCache(
      async () => {
        if (fail) throw new Error('auth down');
        return { token: 'ok', expiresAt: Date.now() / 1000 + 300 };
      },
      'c',
      300,
    );
    await expect(cache.tokenFor('e1', 'h1')).rejects.toThrow('auth down');
    fail = false;
    expect(await cache.tokenFor('e1', 'h1')).toBe('ok');
  });
});
