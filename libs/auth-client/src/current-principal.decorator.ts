import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppError } from '@confer/http';
import { Principal } from './principal';
import type { RequestWithPrincipal } from './access-token.guard';

/** The caller, as established by AccessTokenGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new AppError('unauthorized', 401, 'this route requires an access token');
  return principal;
});

/** Refuses a caller acting on another organisation's resources. */
export function assertOrgAccess(principal: Principal, orgId: string): void {
  if (principal.orgId !== orgId) {
    throw new AppError('forbidden', 403, `the credential belongs to another organisation than ${orgId}`);
  }
}
