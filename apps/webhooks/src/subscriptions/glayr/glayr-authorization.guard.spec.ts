import { ExecutionContext } from '@nestjs/common';
import {
  AccessTokenGuard,
  AccessTokenVerifier,
  InvalidAccessToken,
  Principal,
  TokenBucketRateLimiter,
} from '@confer/auth-client';
import { AppError } from '@confer/http';
import { WebhooksConfig } from '../../config/webhooks.config';
import { GlayrAuthorizationGuard } from './glayr-authorization.guard';
import { FakeConferenceOwners } from './owners/conference-owners.fake';

const ACCESS = 'access.token.sig';
const OWNER = 'owner.token.sig';
const GUEST = 'guest.token.sig';

class OneTokenVerifier extends AccessTokenVerifier {
  async verify(token: string): Promise<Principal> {
    if (token !== ACCESS) throw new InvalidAccessToken('not an access token');
    return { orgId: 'org_1', clientId: 'ak_1', scope: 'confer-api', rateLimitPerSecond: 100 };
  }
}

function contextFor(authorization: string | undefined) {
  const request: Record<string, unknown> = { headers: { authorization } };
  const headers = new Map<string, string>();
  const response = {
    setHeader: (k: string, v: string) => headers.set(k.toLowerCase(), v),
    removeHeader: (k: string) => headers.delete(k.toLowerCase()),
  };
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  return { context, request, headers };
}

describe('GlayrAuthorizationGuard', () => {
  const owners = new FakeConferenceOwners();
  owners.answers.set(OWNER, {
    kind: 'owner',
    owner: { orgId: 'org_1', roomId: 'room-1', identity: 'host', role: 'moderator' },
  });
  owners.answers.set(GUEST, { kind: 'refused', reason: 'not_moderating' });
  const limiter = new TokenBucketRateLimiter();
  const guard = new GlayrAuthorizationGuard(
    new AccessTokenGuard(new OneTokenVerifier(), limiter),
    owners,
    limiter,
    { DEFAULT_RATE_LIMIT_PER_SECOND: 100 } as WebhooksConfig,
  );

  it('takes an access token bare or as Bearer', async () => {
    for (const header of [ACCESS, `Bearer ${ACCESS}`]) {
      const { context, request } = contextFor(header);
      await expect(guard.canActivate(context)).resolves.toBe(true);
      expect(request.principal).toMatchObject({ orgId: 'org_1' });
      expect(request.conferenceOwner).toBeUndefined();
    }
  });

  it('takes a participant token moderating a room as that room’s owner, without a Bearer challenge', async () => {
    const { context, request, headers } = contextFor(OWNER);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.principal).toBeUndefined();
    expect(request.conferenceOwner).toEqual({
      orgId: 'org_1',
      roomId: 'room-1',
      identity: 'host',
      role: 'moderator',
    });
    expect(headers.has('www-authenticate')).toBe(false);
  });

  it('refuses a participant who does not moderate with 403, and anything else with 401', async () => {
    const guest = contextFor(GUEST);
    await expect(guard.canActivate(guest.context)).rejects.toMatchObject({
      status: 403,
      code: 'not_conference_owner',
    });
    const unknown = contextFor('some.other.token');
    const error = (await guard.canActivate(unknown.context).catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('invalid_token');
    const missing = contextFor(undefined);
    await expect(guard.canActivate(missing.context)).rejects.toMatchObject({ status: 401 });
  });
});
